package io.cellpipe.cli;

import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.spi.Destination;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Compares every captured table of every cell with the warehouse; exit 0 only when all match. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Compare every captured table of every cell with the warehouse (run it with the pipeline stopped).")
final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "Pipeline configuration (YAML).")
    Path config;

    @Override
    public Integer call() {
        PipelineConfig pipelineConfig = new ConfigLoader(System::getenv).load(config);
        LogFormat.apply(pipelineConfig.logging());
        try (Destination destination = Assembly.destination(pipelineConfig.destination())) {
            Verification.Summary summary = new Verification(destination, pipelineConfig.tables(),
                    Assembly.policies(pipelineConfig), System.out).verify(pipelineConfig.cells());
            if (summary.matches()) {
                System.out.println("verify: " + summary.cells() + " cells, " + summary.tables() + " tables, " + summary.rows()
                        + " rows: warehouse matches sources");
                return 0;
            }
            System.out.println("verify: MISMATCH: " + summary.mismatchedTables() + " tables differ, " + summary.failedCells()
                    + " cells could not be read");
            return 1;
        }
    }
}
