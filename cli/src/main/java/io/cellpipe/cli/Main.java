package io.cellpipe.cli;

import io.cellpipe.core.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cellpipe} command. */
@Command(name = "cellpipe", mixinStandardHelpOptions = true, version = "cellpipe 0.1.0",
        description = "Streams every change of many PostgreSQL cells into an analytics warehouse, exactly once.",
        subcommands = {RunCommand.class, DemoCommand.class, VerifyCommand.class, CheckCommand.class, StatusCommand.class, ResyncCommand.class})
public final class Main {
    /** Exit code of a configuration the pipeline refuses. */
    static final int CONFIG_ERROR = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            if (exception instanceof ConfigException) {
                line.getErr().println("cellpipe: " + exception.getMessage());
                return CONFIG_ERROR;
            }
            throw exception;
        });
        return commandLine;
    }
}
