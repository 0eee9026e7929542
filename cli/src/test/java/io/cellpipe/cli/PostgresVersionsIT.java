package io.cellpipe.cli;

import static io.cellpipe.cli.PipelineHarness.assertMatches;
import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static io.cellpipe.cli.PipelineHarness.catchUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.DemoSchema;
import io.cellpipe.testing.EmbeddedCell;
import io.cellpipe.testing.Workload;
import io.cellpipe.testing.WorkloadOptions;
import io.cellpipe.testing.WorkloadStats;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshot, then streaming with a TRUNCATE and a transaction large enough that the server streams
 * it before its commit, from the oldest and the newest PostgreSQL the pipeline supports (pgoutput
 * protocol 2 and 4).
 */
class PostgresVersionsIT {
    private static final String SLOT = "cellpipe_test";

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {14, 18})
    void snapshotThenStreamMatchesTheCell(int version, @TempDir Path dir) throws Exception {
        // A tiny logical_decoding_work_mem makes the server stream the large transaction in blocks.
        try (EmbeddedCell cell = EmbeddedCell.builder().version(version).setting("logical_decoding_work_mem", "64kB").start()) {
            try (Connection connection = cell.connect()) {
                DemoSchema.create(connection);
                new Workload(connection, 1400 + version, WorkloadOptions.forTests().withTruncateAt(WorkloadOptions.NEVER)
                        .withBackgroundMigrationAt(WorkloadOptions.NEVER).withLargeTransactionAt(WorkloadOptions.NEVER)).run(200);
            }
            Path warehouse = dir.resolve("w.duckdb");
            PipelineConfig config = PipelineHarness.config(warehouse, List.of(cell));
            WorkloadStats streamed;
            try (Destination destination = Assembly.destination(config.destination())) {
                try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                    pipeline.start(Assembly.sources(config));
                    awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(30));
                    assertThat(pipeline.report().get(0).detail()).contains("PostgreSQL " + version);
                    try (Connection connection = cell.connect()) {
                        // truncate at operation 50, background migration at 100, a 5,000-row transaction at 150
                        streamed = new Workload(connection, 1800 + version, WorkloadOptions.forTests()).run(250);
                    }
                    catchUp(pipeline, List.of(cell), Duration.ofSeconds(40));
                    assertThat(streamedTransactions(cell)).as("transactions the server streamed to slot " + SLOT).isPositive();
                }
                assertThat(streamed.truncates()).isEqualTo(1);
                assertThat(streamed.largeTransactions()).isEqualTo(1);
                assertMatches(destination, config);
            }
            assertThat(new WarehouseFile(warehouse).count("SELECT count(*) FROM \"public\".\"ci_builds\" WHERE _op = 't' AND _deleted"))
                    .as("rows of the snapshot marked deleted by the TRUNCATE").isPositive();
        }
    }

    /** Polls the slot's statistics, which the server updates shortly after decoding. */
    private static long streamedTransactions(EmbeddedCell cell) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long streamed = 0;
        try (Connection connection = cell.connect(); Statement statement = connection.createStatement()) {
            while (streamed == 0 && System.nanoTime() < deadline) {
                try (ResultSet rows = statement.executeQuery(
                        "SELECT coalesce(sum(stream_txns), 0) FROM pg_stat_replication_slots WHERE slot_name = '" + SLOT + "'")) {
                    rows.next();
                    streamed = rows.getLong(1);
                }
                if (streamed == 0) {
                    Thread.sleep(100);
                }
            }
        }
        return streamed;
    }
}
