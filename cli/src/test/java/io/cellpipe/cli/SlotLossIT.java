package io.cellpipe.cli;

import static io.cellpipe.cli.PipelineHarness.assertMatches;
import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static io.cellpipe.cli.PipelineHarness.catchUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.Resync;
import io.cellpipe.testing.BackgroundWorkload;
import io.cellpipe.testing.DemoSchema;
import io.cellpipe.testing.EmbeddedCell;
import io.cellpipe.testing.Workload;
import io.cellpipe.testing.WorkloadOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
                            .contains("cellpipe resync --cell cell-1").contains("slot.on_lost: resync");
                }
                // copying the cell again still works too
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

    @Test
    void underFailADroppedSlotStopsTheRunningCellUntilAResyncIsRequested(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            PipelineConfig config = prepare(cell, dir, "");
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                try (Connection writer = cell.connect()) {
                    BackgroundWorkload workload = new Workload(writer, 2, SMALL.withOperationsPerSecond(200)).startInBackground();
                    dropSlotUnderTheReader(cell);
                    PipelineHarness.awaitState(pipeline, "cell-1", report -> report.state() == CellState.FAILED, Duration.ofSeconds(30));
                    assertThat(pipeline.report().get(0).lastError()).contains("cellpipe_test is missing").contains("cellpipe resync --cell cell-1");
                    // what `cellpipe resync --cell cell-1` hands to the running pipeline
                    destination.requestResync(ResyncCommand.request(config, "cell-1", null, null, 100));
                    awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                    NewTablesIT.awaitResyncsDone(destination, Duration.ofSeconds(120));
                    workload.stop();
                }
                catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
                assertMatches(destination, config);
            }
        }
    }

    @Test
    void underResyncADroppedSlotIsRecreatedAndEveryTableReRead(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            PipelineConfig config = prepare(cell, dir, "slot:\n  on_lost: resync\n");
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                try (Connection writer = cell.connect()) {
                    BackgroundWorkload workload = new Workload(writer, 2, SMALL.withOperationsPerSecond(200)).startInBackground();
                    dropSlotUnderTheReader(cell);
                    PipelineHarness.awaitState(pipeline, "cell-1", report -> report.state() != CellState.STREAMING, Duration.ofSeconds(30));
                    NewTablesIT.awaitResyncsDone(destination, Duration.ofSeconds(120));
                    workload.stop();
                }
                catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
                List<Resync> resyncs = destination.resyncs();
                assertThat(resyncs.get(0).table()).isEqualTo(Resync.EVERY_TABLE);
                assertThat(resyncs.get(0).detail()).contains("cellpipe_test is missing").contains("changes between");
                assertThat(resyncs).extracting(Resync::table).contains("public.users", "public.merge_requests", "public.ci_builds");
                assertMatches(destination, config);
            }
        }
    }

    private static PipelineConfig prepare(EmbeddedCell cell, Path dir, String extra) throws Exception {
        try (Connection connection = cell.connect()) {
            DemoSchema.create(connection);
            new Workload(connection, 1, SMALL).run(100);
        }
        return new ConfigLoader(System::getenv).parse("test.yml", PipelineHarness.yaml(dir.resolve("w.duckdb"), List.of(cell), extra));
    }

    /** The reader holds the slot: end its walsender, then drop the slot before the reader reconnects. */
    private static void dropSlotUnderTheReader(EmbeddedCell cell) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Connection connection = cell.connect(); Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = 'cellpipe_test'"
                        + " AND active_pid IS NOT NULL");
                statement.execute("SELECT pg_drop_replication_slot('cellpipe_test')");
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
