package io.cellpipe.cli;

import static io.cellpipe.cli.PipelineHarness.assertMatches;
import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static io.cellpipe.cli.PipelineHarness.catchUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.DemoSchema;
import io.cellpipe.testing.EmbeddedCell;
import io.cellpipe.testing.Workload;
import io.cellpipe.testing.WorkloadOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slot dropped behind the pipeline's back is never silently replaced by one streaming from
 * "now": the cell fails with the way out, and a re-copy brings the warehouse back in line.
 */
class SlotLossIT {
    private static final WorkloadOptions SMALL = WorkloadOptions.forTests().withLargeTransactionAt(WorkloadOptions.NEVER);

    @Test
    void aDroppedSlotFailsTheCellUntilItIsCopiedAgain(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            try (Connection connection = cell.connect()) {
                DemoSchema.create(connection);
                new Workload(connection, 1, SMALL).run(100);
            }
            PipelineConfig config = PipelineHarness.config(dir.resolve("w.duckdb"), List.of(cell));
            try (Destination destination = Assembly.destination(config.destination())) {
                try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                    pipeline.start(Assembly.sources(config));
                    awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                    catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
                }
                cell.execute("SELECT pg_drop_replication_slot('cellpipe_test')");
                // Changes the warehouse can no longer get from a slot.
                try (Connection connection = cell.connect()) {
                    new Workload(connection, 2, SMALL).run(50);
                }
                try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                    pipeline.start(Assembly.sources(config));
                    PipelineHarness.awaitState(pipeline, "cell-1", report -> report.state() == CellState.FAILED, Duration.ofSeconds(30));
                    assertThat(pipeline.report().get(0).lastError()).contains("cellpipe_test").contains("missing")
                            .contains("--resnapshot cell-1");
                }
                destination.beginSnapshot("cell-1", List.of());
                try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                    pipeline.start(Assembly.sources(config));
                    awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                    catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
                }
                assertMatches(destination, config);
            }
        }
    }
}
