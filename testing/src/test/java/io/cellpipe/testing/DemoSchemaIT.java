package io.cellpipe.testing;

import io.cellpipe.core.model.TableId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DemoSchemaIT {
    private static final int OPERATIONS = 400;

    private static EmbeddedCell cell;

    @BeforeAll
    static void startCell() {
        cell = EmbeddedCell.start();
    }

    @AfterAll
    static void stopCell() {
        cell.close();
    }

    @Test
    void createsEveryTableAndPartition() throws SQLException {
        try (Connection connection = freshDatabase("schema_only")) {
            DemoSchema.create(connection);
            for (TableId table : DemoSchema.tables()) {
                assertThat(scalar(connection, "SELECT to_regclass('" + table.quoted() + "') IS NOT NULL")).isEqualTo("t");
            }
            assertThat(scalar(connection, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'ci_builds'::regclass"))
                    .isEqualTo(Integer.toString(DemoSchema.ciBuildsPartitions().size()));
            assertThat(scalar(connection, "SELECT count(*) FROM plans")).isEqualTo("4");
        }
    }

    @Test
    void workloadFillsEveryTableAndRunsTheOneOffOperations() throws SQLException {
        try (Connection connection = freshDatabase("workload")) {
            DemoSchema.create(connection);
            WorkloadOptions options = WorkloadOptions.forTests();
            WorkloadStats stats = new Workload(connection, 7, options).run(OPERATIONS);

            assertThat(stats.operations()).isEqualTo(OPERATIONS);
            assertThat(stats.truncates()).isEqualTo(1);
            assertThat(stats.largeTransactions()).isEqualTo(1);
            assertThat(stats.backgroundMigrations()).isEqualTo(1);
            assertThat(stats.inserts()).isGreaterThan(options.largeTransactionRows());
            assertThat(stats.updates()).isPositive();
            assertThat(stats.deletes()).isPositive();
            assertThat(stats.transactions()).isGreaterThanOrEqualTo(OPERATIONS);
            for (TableId table : DemoSchema.tables()) {
                assertThat(Long.parseLong(scalar(connection, "SELECT count(*) FROM " + table.quoted())))
                        .as("rows in %s", table).isPositive();
            }
            // The truncate came first, so the large transaction's rows are all still there.
            assertThat(Long.parseLong(scalar(connection, "SELECT count(*) FROM ci_builds")))
                    .isGreaterThanOrEqualTo(options.largeTransactionRows());
            assertThat(Long.parseLong(scalar(connection, "SELECT count(*) FROM ci_builds_default"))).isPositive();
        }
    }

    @Test
    void workloadWritesTheAwkwardValues() throws SQLException {
        try (Connection connection = freshDatabase("awkward")) {
            DemoSchema.create(connection);
            new Workload(connection, 11, WorkloadOptions.forTests()).run(OPERATIONS);

            // Stored over 2 kB even after compression: out of line, in the TOAST table.
            assertThat(count(connection, "projects WHERE pg_column_size(description) > 2000")).isPositive();
            assertThat(count(connection, "ci_builds WHERE duration = 'NaN'")).isPositive();
            assertThat(count(connection, "ci_builds WHERE duration = 'Infinity'")).isPositive();
            assertThat(count(connection, "merge_requests WHERE due_date IN ('infinity', '-infinity')")).isPositive();
            assertThat(count(connection, "merge_requests WHERE weight = 'NaN'")).isPositive();
            assertThat(count(connection, "merge_requests WHERE author_id IS NULL")).isPositive();
            assertThat(count(connection, "merge_requests WHERE state = 'merged' AND merge_commit_sha IS NOT NULL")).isPositive();
            assertThat(count(connection, "users WHERE name !~ '^[ -~]*$'")).as("non-ASCII names").isPositive();
            assertThat(count(connection, "projects WHERE array_position(tags, NULL) IS NOT NULL")).isPositive();
        }
    }

    @Test
    void sameSeedWritesTheSameRows() throws SQLException {
        Map<String, String> first;
        Map<String, String> second;
        try (Connection connection = freshDatabase("seed_first")) {
            DemoSchema.create(connection);
            new Workload(connection, 42, WorkloadOptions.forTests().withLargeTransactionRows(500)).run(200);
            first = fingerprints(connection);
        }
        try (Connection connection = freshDatabase("seed_second")) {
            DemoSchema.create(connection);
            Workload workload = new Workload(connection, 42, WorkloadOptions.forTests().withLargeTransactionRows(500));
            workload.run(120);
            workload.run(80);
            second = fingerprints(connection);
        }
        assertThat(second).isEqualTo(first);
    }

    @Test
    void backgroundWorkloadRunsUntilStopped() throws SQLException, InterruptedException {
        try (Connection connection = freshDatabase("background")) {
            DemoSchema.create(connection);
            Workload workload = new Workload(connection, 3, WorkloadOptions.forTests().withOperationsPerSecond(200));
            BackgroundWorkload background = workload.startInBackground();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (background.stats().operations() < 50 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            WorkloadStats stats = background.stop();
            assertThat(background.isRunning()).isFalse();
            assertThat(stats.operations()).isGreaterThanOrEqualTo(50);
            assertThat(workload.stats()).isEqualTo(stats);
        }
    }

    private static Map<String, String> fingerprints(Connection connection) throws SQLException {
        Map<String, String> fingerprints = new LinkedHashMap<>();
        for (TableId table : DemoSchema.tables()) {
            String orderBy = table.name().equals("schema_migrations") ? "version" : "id";
            fingerprints.put(table.name(), scalar(connection,
                    "SELECT md5(string_agg(t::text, '|' ORDER BY " + orderBy + ")) FROM " + table.quoted() + " t"));
        }
        return fingerprints;
    }

    private static Connection freshDatabase(String name) throws SQLException {
        cell.createDatabase(name);
        return DriverManager.getConnection(cell.jdbcUrl(name));
    }

    private static long count(Connection connection, String fromWhere) throws SQLException {
        return Long.parseLong(scalar(connection, "SELECT count(*) FROM " + fromWhere));
    }

    private static String scalar(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }
}
