package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code ./cellpipe …} command shown in the README and docs/ parses through the real command line
 * with its defaults, so an option whose default does not convert can never ship again.
 */
class DocumentedCommandsTest {
    private static final Pattern SHELL_BLOCK = Pattern.compile("```(?:sh|bash|shell)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern WORD = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)");

    @Test
    void everyDocumentedCommandParsesWithItsDefaults() throws IOException {
        List<List<String>> commands = documentedCommands();
        assertThat(commands).as("commands shown in README.md and docs/")
                .extracting(command -> command.get(0))
                .contains("demo", "run", "check", "status", "verify", "resync");
        for (List<String> command : commands) {
            assertThatCode(() -> {
                CommandLine.ParseResult parsed = Main.commandLine().parseArgs(command.toArray(String[]::new));
                assertThat(parsed.hasSubcommand()).isTrue();
            }).as("./cellpipe %s", String.join(" ", command)).doesNotThrowAnyException();
        }
    }

    @Test
    void everyOptionDefaultOfEveryCommandConverts() {
        CommandLine main = Main.commandLine();
        for (CommandLine subcommand : main.getSubcommands().values()) {
            // the required options take a placeholder; every other option keeps its default
            List<String> args = new ArrayList<>(List.of(subcommand.getCommandName()));
            subcommand.getCommandSpec().options().stream().filter(option -> option.required())
                    .forEach(option -> args.addAll(List.of(option.longestName(), placeholder(option))));
            assertThatCode(() -> Main.commandLine().parseArgs(args.toArray(String[]::new)))
                    .as("./cellpipe %s", String.join(" ", args)).doesNotThrowAnyException();
        }
    }

    private static String placeholder(CommandLine.Model.OptionSpec option) {
        Class<?> type = option.type();
        return type == int.class || type == Integer.class || type == long.class ? "1" : "x";
    }

    private static List<List<String>> documentedCommands() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("..", "README.md")));
        try (Stream<Path> docs = Files.list(Path.of("..", "docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<List<String>> commands = new ArrayList<>();
        for (Path page : pages) {
            Matcher block = SHELL_BLOCK.matcher(Files.readString(page));
            while (block.find()) {
                for (String line : block.group(1).split("\n")) {
                    String command = line.strip();
                    if (command.startsWith("./cellpipe ")) {
                        commands.add(words(command.substring("./cellpipe ".length())));
                    }
                }
            }
        }
        return commands;
    }

    /** The command's words as a shell splits them, up to a comment. */
    private static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        Matcher word = WORD.matcher(command);
        while (word.find()) {
            if (word.group(3) != null && word.group(3).startsWith("#")) {
                break;
            }
            words.add(word.group(1) != null ? word.group(1) : word.group(2) != null ? word.group(2) : word.group(3));
        }
        return words;
    }
}
