package io.cellpipe.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What the operations of one {@link Workload} share: the connection, the seeded generator, the ids of live rows and
 * the counters. Confined to the workload's thread, except the counters.
 */
final class WorkloadState {
    /** The simulated clock starts here and advances a fixed step per operation, so timestamps follow the seed only. */
    private static final OffsetDateTime EPOCH = OffsetDateTime.of(2024, 3, 1, 8, 0, 0, 0, ZoneOffset.UTC);
    private static final long SECONDS_PER_OPERATION = 7;

    final Connection connection;
    final Random random;
    final DemoValues values;
    final WorkloadCounters counters = new WorkloadCounters();
    final IdPool namespaces = new IdPool();
    final IdPool users = new IdPool();
    final IdPool projects = new IdPool();
    final IdPool mergeRequests = new IdPool();
    final IdPool builds = new IdPool();
    final IdPool plans = new IdPool();
    final IdPool applicationSettings = new IdPool();
    private long operation;

    WorkloadState(Connection connection, long seed) {
        this.connection = connection;
        this.random = new Random(seed);
        this.values = new DemoValues(random);
    }

    long operation() {
        return operation;
    }

    void nextOperation() {
        operation++;
        counters.operation();
    }

    OffsetDateTime now() {
        return EPOCH.plusSeconds(operation * SECONDS_PER_OPERATION);
    }

    void commit() throws SQLException {
        connection.commit();
        counters.committed();
    }

    /** Reads the ids of existing rows, in id order, so that a workload can also run on a cell that has data. */
    void loadIds() throws SQLException {
        namespaces.replaceWith(ids("namespaces"));
        users.replaceWith(ids("users"));
        projects.replaceWith(ids("projects"));
        mergeRequests.replaceWith(ids("merge_requests"));
        builds.replaceWith(ids("ci_builds"));
        plans.replaceWith(ids("plans"));
        applicationSettings.replaceWith(ids("application_settings"));
        connection.commit();
    }

    List<Long> ids(String table) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
            while (result.next()) {
                ids.add(result.getLong(1));
            }
        }
        return ids;
    }

    /** Runs an INSERT ... RETURNING id and counts the row. */
    long insertReturningId(PreparedStatement insert) throws SQLException {
        try (ResultSet result = insert.executeQuery()) {
            result.next();
            counters.inserted(1);
            return result.getLong(1);
        }
    }
}
