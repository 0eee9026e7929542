package io.cellpipe.cli;

import static io.cellpipe.cli.PipelineHarness.assertMatches;
import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static io.cellpipe.cli.PipelineHarness.catchUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.DemoSchema;
import io.cellpipe.testing.EmbeddedCell;
import io.cellpipe.testing.Workload;
import io.cellpipe.testing.WorkloadOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warehouse older than the slot (restored from a backup) never streams on from the slot's position
 * silently: the cell fails naming both positions and the fix, verify shows the gap, and a resync of
 * the cell repairs it. Idle positions (heartbeats, uncaptured writes) are recorded before the slot is
 * acknowledged past them, so a cell that was only idle restarts without that alarm.
 */
class RestoredWarehouseIT {
    private static final WorkloadOptions SMALL = WorkloadOptions.forTests().withLargeTransactionAt(WorkloadOptions.NEVER);

    @Test
    void aWarehouseBehindItsSlotRefusesToStreamUntilResynced(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            try (Connection connection = cell.connect()) {
                DemoSchema.create(connection);
                new Workload(connection, 1, SMALL).run(100);
            }
            Path warehouse = dir.resolve("w.duckdb");
            PipelineConfig config = PipelineHarness.config(warehouse, List.of(cell));
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
                // only writes the pipeline does not capture: the slot moves on through recorded idle positions
                Lsn idle = CatchUp.mark(cell.jdbcUrl(), "UPDATE public.schema_migrations SET version = version");
                awaitConfirmed(cell, idle);
            }
            Path backup = dir.resolve("backup.duckdb");
            Files.copy(warehouse, backup);

            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                try (Connection connection = cell.connect()) {
                    new Workload(connection, 2, SMALL).run(50);
                }
                catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
            }
            Files.copy(backup, warehouse, StandardCopyOption.REPLACE_EXISTING);

            try (Destination destination = Assembly.destination(config.destination())) {
                try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                    pipeline.start(Assembly.sources(config));
                    PipelineHarness.awaitState(pipeline, "cell-1", report -> report.state() == CellState.FAILED, Duration.ofSeconds(30));
                    assertThat(pipeline.report().get(0).lastError()).contains("cellpipe_test").contains("confirmed changes up to")
                            .contains("only up to").contains("cellpipe resync --cell cell-1");
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                Verification.Summary gap = new Verification(destination, config.tables(), Assembly.policies(config),
                        new PrintStream(bytes, true, StandardCharsets.UTF_8)).verify(config.cells());
                assertThat(gap.matches()).as("verify sees the gap:%n%s", bytes).isFalse();

                destination.requestResync(ResyncCommand.request(config, "cell-1", null, null, 100));
                try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                    pipeline.start(Assembly.sources(config));
                    awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                    NewTablesIT.awaitResyncsDone(destination, Duration.ofSeconds(120));
                    catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
                }
                assertMatches(destination, config);
            }
        }
    }

    private static void awaitConfirmed(EmbeddedCell cell, Lsn position) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection connection = cell.connect(); Statement statement = connection.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = statement.executeQuery("SELECT confirmed_flush_lsn::text FROM pg_replication_slots"
                        + " WHERE slot_name = 'cellpipe_test'")) {
                    if (rows.next() && Lsn.parse(rows.getString(1)).isAfter(position)) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the slot was not acknowledged up to " + position);
    }
}
