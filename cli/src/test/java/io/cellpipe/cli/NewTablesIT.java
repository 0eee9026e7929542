package io.cellpipe.cli;

import static io.cellpipe.cli.PipelineHarness.assertMatches;
import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static io.cellpipe.cli.PipelineHarness.catchUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.Resync;
import io.cellpipe.testing.DemoSchema;
import io.cellpipe.testing.EmbeddedCell;
import io.cellpipe.testing.Workload;
import io.cellpipe.testing.WorkloadOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table that joins the selection on restart is added to the publication and backfilled with a
 * resync while the cell streams; nothing else is copied again.
 */
class NewTablesIT {
    private static final WorkloadOptions SMALL = WorkloadOptions.forTests().withLargeTransactionAt(WorkloadOptions.NEVER);

    @Test
    void aNewlyIncludedTableIsBackfilledWithoutCopyingTheOthers(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            try (Connection connection = cell.connect()) {
                DemoSchema.create(connection);
                new Workload(connection, 1, SMALL).run(200);
            }
            Path warehouse = dir.resolve("w.duckdb");
            Map<String, String> cells = CapturedCells.cells("cell-1", cell.jdbcUrl());
            PipelineConfig without = CapturedCells.config(warehouse, cells, "[\"public.*\"]", "[\"public.schema_migrations\", \"public.plans\"]");
            PipelineConfig with = CapturedCells.config(warehouse, cells, "[\"public.*\"]", "[\"public.schema_migrations\"]");
            cell.execute("INSERT INTO plans (name, title) SELECT 'plan-' || i, 'Plan ' || i FROM generate_series(1, 2500) i");
            try (Destination destination = Assembly.destination(without.destination());
                    Pipeline pipeline = new Pipeline(destination, without.capture())) {
                pipeline.start(Assembly.sources(without));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
            }
            cell.execute("UPDATE plans SET title = 'changed while not captured' WHERE id % 7 = 0",
                    "DELETE FROM plans WHERE id % 11 = 0");
            try (Connection connection = cell.connect()) {
                new Workload(connection, 2, SMALL).run(100);
            }
            try (Destination destination = Assembly.destination(with.destination());
                    Pipeline pipeline = new Pipeline(destination, with.capture())) {
                Map<String, ?> before = destination.checkpoints();
                pipeline.start(Assembly.sources(with));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                cell.execute("UPDATE plans SET title = 'changed while backfilling' WHERE id % 5 = 0");
                awaitResyncsDone(destination, Duration.ofSeconds(60));
                catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
                assertThat(destination.resyncs()).extracting(Resync::table).containsExactly("public.plans");
                assertThat(destination.checkpoints().keySet()).isEqualTo(before.keySet());
                assertMatches(destination, with);
            }
        }
    }

    static void awaitResyncsDone(Destination destination, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Resync> resyncs = destination.resyncs();
            if (!resyncs.isEmpty() && resyncs.stream().allMatch(resync -> resync.state().finished())) {
                assertThat(resyncs).allSatisfy(resync -> assertThat(resync.state()).as("%s", resync).isEqualTo(Resync.State.DONE));
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("resyncs did not finish: " + destination.resyncs());
    }
}
