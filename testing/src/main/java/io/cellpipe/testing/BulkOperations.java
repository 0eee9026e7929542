package io.cellpipe.testing;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** The one-off operations of a workload; each commits its own transactions. */
final class BulkOperations {
    private static final int MIGRATION_BATCH = 1_000;
    private static final OffsetDateTime PARTITIONS_FROM =
            DemoSchema.FIRST_PARTITION_MONTH.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);

    private final WorkloadState state;
    private final RowInserts inserts;

    BulkOperations(WorkloadState state, RowInserts inserts) {
        this.state = state;
        this.inserts = inserts;
    }

    /** TRUNCATE of the partitioned root, which logical decoding reports for the partitions it empties. */
    void truncateBuilds() throws SQLException {
        try (Statement statement = state.connection.createStatement()) {
            statement.execute("TRUNCATE ci_builds");
        }
        state.commit();
        state.builds.replaceWith(List.of());
        state.counters.truncated();
    }

    /**
     * Like a GitLab background migration: backfills a column of every merge request in id-range batches, each its
     * own transaction, and leaves {@code updated_at} alone, so only change data capture notices.
     */
    void backgroundMigration() throws SQLException {
        List<Long> ids = state.ids("merge_requests");
        try (PreparedStatement update = state.connection.prepareStatement("""
                UPDATE merge_requests SET time_estimate = coalesce(time_estimate, interval '0') + interval '15 minutes'
                WHERE id BETWEEN ? AND ?""")) {
            for (int from = 0; from < ids.size(); from += MIGRATION_BATCH) {
                int to = Math.min(from + MIGRATION_BATCH, ids.size()) - 1;
                update.setLong(1, ids.get(from));
                update.setLong(2, ids.get(to));
                state.counters.updated(update.executeUpdate());
                state.commit();
            }
        }
        state.counters.backgroundMigration();
    }

    /**
     * Inserts {@code rows} builds in one transaction, computed on the server from the row number (so it is fast and
     * still deterministic), spread over every partition, with NaN and infinite durations among them.
     */
    void largeTransaction(int rows) throws SQLException {
        if (state.projects.isEmpty()) {
            inserts.project();
        }
        Long[] projects = state.projects.all().toArray(Long[]::new);
        int salt = state.random.nextInt(1_000_000);
        try (PreparedStatement insert = state.connection.prepareStatement("""
                INSERT INTO ci_builds (project_id, status, duration, started_at, finished_at, created_at)
                SELECT projects[1 + (g * 31 + ?) % cardinality(projects)],
                       (ARRAY['success', 'success', 'failed', 'canceled', 'running'])[1 + (g + ?) % 5],
                       CASE WHEN g % 997 = 0 THEN 'NaN'::float8
                            WHEN g % 991 = 0 THEN 'Infinity'::float8
                            ELSE ((g * 7919 + ?) % 3600000) / 1000.0 END,
                       (created_at + interval '5 seconds')::timestamp,
                       CASE WHEN (g + ?) % 5 = 4 THEN NULL ELSE created_at + interval '10 minutes' END,
                       created_at
                FROM generate_series(1, ?) AS g,
                     LATERAL (SELECT ?::timestamptz + ((g::bigint * 104729 + ?) % ?) * interval '1 second' AS created_at) AS t,
                     (SELECT ?::bigint[] AS projects) AS p""")) {
            int parameter = 1;
            insert.setInt(parameter++, salt);
            insert.setInt(parameter++, salt);
            insert.setInt(parameter++, salt);
            insert.setInt(parameter++, salt);
            insert.setInt(parameter++, rows);
            insert.setObject(parameter++, PARTITIONS_FROM);
            insert.setInt(parameter++, salt);
            insert.setLong(parameter++, partitionedSeconds());
            insert.setArray(parameter, state.connection.createArrayOf("int8", projects));
            state.counters.inserted(insert.executeUpdate());
        }
        state.commit();
        state.builds.replaceWith(state.ids("ci_builds"));
        state.connection.commit();
        state.counters.largeTransaction();
    }

    private static long partitionedSeconds() {
        return Duration.between(PARTITIONS_FROM, PARTITIONS_FROM.plusMonths(DemoSchema.PARTITION_MONTHS))
                .toSeconds();
    }
}
