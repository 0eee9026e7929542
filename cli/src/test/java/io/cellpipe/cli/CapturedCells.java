package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.testing.EmbeddedCell;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Pipelines over cells named by id and URL (so a cell may be a role, a database or a port that
 * {@link PipelineHarness} cannot express), and catching up through a small marker table instead
 * of the demo schema.
 */
final class CapturedCells {
    static final String MARKER_TABLE = "public.catch_up_marker";
    private static final String CREATE_MARKER = "CREATE TABLE " + MARKER_TABLE + " (id int PRIMARY KEY, marked_at timestamptz NOT NULL)";
    private static final String MARK = "INSERT INTO " + MARKER_TABLE + " VALUES (1, clock_timestamp())"
            + " ON CONFLICT (id) DO UPDATE SET marked_at = excluded.marked_at";

    private CapturedCells() {
    }

    /** Cell ids in order, each mapped to its JDBC URL. */
    static Map<String, String> cells(String... idsAndUrls) {
        Map<String, String> cells = new LinkedHashMap<>();
        for (int i = 0; i < idsAndUrls.length; i += 2) {
            cells.put(idsAndUrls[i], idsAndUrls[i + 1]);
        }
        return cells;
    }

    /** Like {@link PipelineHarness#yaml}, with the captured tables given as YAML flow lists. */
    static String yaml(Path warehouse, Map<String, String> cells, String include, String exclude) {
        StringBuilder yaml = new StringBuilder("pipeline: test\ncells:\n");
        cells.forEach((id, url) -> yaml.append("  - id: ").append(id).append("\n    url: \"").append(url).append("\"\n"));
        yaml.append("tables:\n  include: ").append(include).append("\n  exclude: ").append(exclude).append('\n');
        yaml.append("destination:\n  duckdb:\n    path: \"").append(warehouse).append("\"\n");
        yaml.append("capture:\n  heartbeat_interval: 1s\n  retry_initial: 1s\n  retry_max: 2s\n  transaction_memory: 256KB\n");
        yaml.append("  spill_directory: \"").append(warehouse.getParent().resolve("spill")).append("\"\n");
        return yaml.toString();
    }

    static PipelineConfig config(Path warehouse, Map<String, String> cells) {
        return config(warehouse, cells, "[\"public.*\"]", "[]");
    }

    static PipelineConfig config(Path warehouse, Map<String, String> cells, String include, String exclude) {
        return new ConfigLoader(System::getenv).parse("test.yml", yaml(warehouse, cells, include, exclude));
    }

    /** The marker table {@link #catchUp} writes to; it must be captured. */
    static void createMarkerTable(EmbeddedCell cell) {
        cell.execute(CREATE_MARKER);
    }

    /** Commits a marker on each cell and waits until the pipeline has applied past it. */
    static void catchUp(Pipeline pipeline, Map<String, String> cells, Duration timeout) throws Exception {
        Map<String, Lsn> marks = new LinkedHashMap<>();
        for (Map.Entry<String, String> cell : cells.entrySet()) {
            marks.put(cell.getKey(), CatchUp.mark(cell.getValue(), MARK));
        }
        assertThat(CatchUp.await(pipeline, marks, timeout)).as("caught up: %s", pipeline.report()).isTrue();
    }

    static Optional<CellReport> report(Pipeline pipeline, String cellId) {
        return pipeline.report().stream().filter(report -> report.cellId().equals(cellId)).findFirst();
    }

    /** Polls until the cell's report satisfies the condition and returns that report. */
    static CellReport awaitReport(Pipeline pipeline, String cellId, Predicate<CellReport> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<CellReport> report = report(pipeline, cellId);
            if (report.isPresent() && condition.test(report.get())) {
                return report.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("cell " + cellId + " did not reach the expected state within " + timeout + ": " + pipeline.report());
    }
}
