package io.cellpipe.bench;

import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pipeline in a JVM of its own, so that its resident memory can be read from {@code /proc}. Reads its
 * configuration from the file named by the first argument, prints its cell's state every 100 ms as
 * {@code report STATE APPLIED_LSN CHANGES_APPLIED}, and drains and exits when its standard input closes.
 */
public final class PipelineProcess {
    private PipelineProcess() {
    }

    public static void main(String[] args) throws Exception {
        PipelineConfig config = PipelineSetup.config(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
        try (Destination destination = PipelineSetup.destination(config)) {
            Pipeline pipeline = new Pipeline(destination, config.capture());
            Thread stdin = Thread.ofPlatform().daemon().start(PipelineProcess::drainStandardInput);
            pipeline.start(PipelineSetup.sources(config));
            while (stdin.isAlive()) {
                CellReport report = PipelineSetup.report(pipeline);
                System.out.println("report " + report.state() + " " + report.appliedLsn() + " " + report.changesApplied());
                System.out.flush();
                stdin.join(100);
            }
            pipeline.close();
        }
    }

    /** Returns when the parent closes the child's standard input: the child's signal to stop (shared with {@link CellsProcess}). */
    static void drainStandardInput() {
        try (InputStream in = System.in) {
            while (in.read() >= 0) {
                // Any input is ignored; the end of it means stop.
            }
        } catch (IOException e) {
            // A broken pipe from the parent means stop, too.
        }
    }
}
