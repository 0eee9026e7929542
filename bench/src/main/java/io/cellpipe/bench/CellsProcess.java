package io.cellpipe.bench;

import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.pipeline.Supervisor;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.postgres.PostgresSource;
import io.cellpipe.postgres.PostgresSourceOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A pipeline over many cells in a JVM of its own (its resident memory is read from {@code /proc}). Reads its
 * configuration from the file named by the first argument, starts its cells through the {@link Supervisor} as
 * {@code cellpipe run} does, prints {@code report STREAMING FAILED CHANGES_APPLIED} every 100 ms, and drains and
 * exits when its standard input closes.
 */
public final class CellsProcess {
    private CellsProcess() {
    }

    public static void main(String[] args) throws Exception {
        PipelineConfig config = PipelineSetup.config(Path.of(args[0]).toString(), Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
        try (Destination destination = PipelineSetup.destination(config)) {
            Pipeline pipeline = new Pipeline(destination, config.capture());
            Thread stdin = Thread.ofPlatform().daemon().start(PipelineProcess::drainStandardInput);
            pipeline.start(List.of());
            Supervisor supervisor = new Supervisor(pipeline, cell -> new PostgresSource(new PostgresSourceOptions(cell, config.pipeline(),
                    config.tables(), config.capture())), Duration.ofSeconds(60));
            supervisor.reconcile(config.cells());
            while (stdin.isAlive()) {
                int streaming = 0;
                int failed = 0;
                long changes = 0;
                for (CellReport report : pipeline.report()) {
                    streaming += report.state() == CellState.STREAMING ? 1 : 0;
                    failed += report.state() == CellState.FAILED ? 1 : 0;
                    changes += report.changesApplied();
                }
                System.out.println("report " + streaming + " " + failed + " " + changes);
                System.out.flush();
                stdin.join(100);
            }
            pipeline.close();
        }
    }
}
