package io.cellpipe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellpipe.testing.EmbeddedCell;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debezium's consumer reads exactly the workload written after its slot was made, and the whole snapshot table. */
class DebeziumBaselineIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static EmbeddedCell cell;

    @TempDir
    Path directory;

    @BeforeAll
    static void startCell() {
        cell = EmbeddedCell.start();
    }

    @AfterAll
    static void stopCell() {
        cell.close();
    }

    @Test
    void streamsTheChangesWrittenAfterItsSlotWasMade() throws Exception {
        try (Connection connection = cell.connect(); Statement statement = connection.createStatement()) {
            BenchTables.create(connection, BenchTables.STREAM);
            BenchTables.createWorkloadProcedure(connection);
            // Changes from before the slot exists are not the workload and must not be read.
            BenchTables.insertRange(connection, BenchTables.STREAM, 1_000_000, 1_000_049);
            DebeziumBaseline.createSlot(connection, DebeziumBaseline.STREAM_NAME, BenchTables.STREAM);
            statement.execute("CALL bench_stream_workload(20)");
        }
        try {
            long workload = BenchTables.workloadChanges(20);
            DebeziumBaseline.Result result = DebeziumBaseline.stream(cell.port(), BenchTables.STREAM, workload, directory, TIMEOUT);

            assertThat(result.events()).isEqualTo(workload);
            assertThat(result.version()).startsWith("3.");
            assertThat(result.firstEventNanos()).isPositive().isLessThanOrEqualTo(result.nanos());
        } finally {
            try (Connection connection = cell.connect(); Statement statement = connection.createStatement()) {
                DebeziumBaseline.drop(connection, DebeziumBaseline.STREAM_NAME);
                assertThat(count(statement, "SELECT count(*) FROM pg_replication_slots")).isZero();
                statement.execute("DROP TABLE " + BenchTables.STREAM);
            }
        }
    }

    @Test
    void snapshotsEveryRowOfTheTable() throws Exception {
        try (Connection connection = cell.connect()) {
            BenchTables.create(connection, BenchTables.SNAPSHOT);
            BenchTables.insertRange(connection, BenchTables.SNAPSHOT, 1, 5_000);
            DebeziumBaseline.createPublication(connection, DebeziumBaseline.SNAPSHOT_NAME, BenchTables.SNAPSHOT);
        }
        try {
            DebeziumBaseline.Result result = DebeziumBaseline.snapshot(cell.port(), BenchTables.SNAPSHOT, 5_000, directory, TIMEOUT);

            assertThat(result.events()).isEqualTo(5_000);
            assertThat(result.eventsPerSecond()).isPositive();
        } finally {
            try (Connection connection = cell.connect(); Statement statement = connection.createStatement()) {
                DebeziumBaseline.drop(connection, DebeziumBaseline.SNAPSHOT_NAME);
                statement.execute("DROP TABLE " + BenchTables.SNAPSHOT);
            }
        }
    }

    @Test
    void saysHowFarItGotWhenTheEngineStops() throws Exception {
        // No publication: the connector refuses to stream, and the wait ends with the engine's reason, not a timeout.
        try (Connection connection = cell.connect(); Statement statement = connection.createStatement()) {
            BenchTables.create(connection, "missing_publication_items");
        }
        try {
            assertThatThrownBy(() -> DebeziumBaseline.stream(cell.port(), "missing_publication_items", 10, directory, TIMEOUT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the engine stopped after 0 of 10 events");
        } finally {
            try (Connection connection = cell.connect(); Statement statement = connection.createStatement()) {
                DebeziumBaseline.drop(connection, DebeziumBaseline.STREAM_NAME);
                statement.execute("DROP TABLE missing_publication_items");
            }
        }
    }

    private static long count(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
