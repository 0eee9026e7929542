package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Builds configurations for embedded cells and checks a warehouse against them. */
final class PipelineHarness {
    static final String MARKER = "UPDATE application_settings SET updated_at = now() WHERE id = (SELECT min(id) FROM application_settings)";

    private PipelineHarness() {
    }

    static String yaml(Path warehouse, List<EmbeddedCell> cells, String extra) {
        StringBuilder yaml = new StringBuilder("pipeline: test\ncells:\n");
        for (int i = 0; i < cells.size(); i++) {
            yaml.append("  - id: cell-").append(i + 1).append("\n    url: \"").append(cells.get(i).jdbcUrl()).append("\"\n");
        }
        yaml.append("tables:\n  include: [\"public.*\"]\n  exclude: [\"public.schema_migrations\"]\n");
        yaml.append("destination:\n  duckdb:\n    path: \"").append(warehouse).append("\"\n");
        yaml.append("capture:\n  heartbeat_interval: 1s\n  retry_initial: 1s\n  retry_max: 2s\n  transaction_memory: 256KB\n");
        yaml.append("  spill_directory: \"").append(warehouse.getParent().resolve("spill")).append("\"\n");
        yaml.append(extra);
        return yaml.toString();
    }

    static PipelineConfig config(Path warehouse, List<EmbeddedCell> cells) {
        return new ConfigLoader(System::getenv).parse("test.yml", yaml(warehouse, cells, ""));
    }

    /** Commits a marker on every cell and waits until the pipeline has applied past it. */
    static void catchUp(Pipeline pipeline, List<EmbeddedCell> cells, Duration timeout) throws Exception {
        Map<String, Lsn> marks = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            marks.put("cell-" + (i + 1), CatchUp.mark(cells.get(i).jdbcUrl(), MARKER));
        }
        assertThat(CatchUp.await(pipeline, marks, timeout)).as("caught up: %s", pipeline.report()).isTrue();
    }

    static void awaitState(Pipeline pipeline, String cellId, Predicate<CellReport> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (CellReport report : pipeline.report()) {
                if (report.cellId().equals(cellId) && condition.test(report)) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("cell " + cellId + " did not reach the expected state: " + pipeline.report());
    }

    static void awaitStreaming(Pipeline pipeline, String cellId, Duration timeout) throws InterruptedException {
        awaitState(pipeline, cellId, report -> report.state() == CellState.STREAMING, timeout);
    }

    /** Waits until the resync at {@code index} (oldest first) has finished, and returns it. */
    static io.cellpipe.core.spi.Resync awaitResyncFinished(Destination destination, int index, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<io.cellpipe.core.spi.Resync> resyncs = destination.resyncs();
            if (resyncs.size() > index && resyncs.get(index).state().finished()) {
                return resyncs.get(index);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("resync " + index + " did not finish: " + destination.resyncs());
    }

    /** Runs verification and returns its output; fails the test with that output if anything differs. */
    static String assertMatches(Destination destination, PipelineConfig config) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Verification.Summary summary = new Verification(destination, config.tables(), Assembly.policies(config), out).verify(config.cells());
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(summary.matches()).as("verification output:%n%s", output).isTrue();
        assertThat(summary.tables()).isPositive();
        return output;
    }
}
