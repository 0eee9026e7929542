package io.cellpipe.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes changes at a steady rate: every 10 ms one transaction (one statement) of rate/100 changes, 60 % inserts,
 * 30 % updates of the previous transaction's rows and 10 % deletes of the oldest rows. Open loop: a tick that starts
 * late is not skipped, so a slow cell shows as a lower achieved rate, which is reported.
 */
final class SteadyLoad {
    private static final long TICK_NANOS = Duration.ofMillis(10).toNanos();

    record Result(long changes, long transactions, long nanos) {
        double changesPerSecond() {
            return changes / (nanos / 1e9);
        }
    }

    private final String url;
    private final String table;
    private final int inserts;
    private final int updates;
    private final int deletes;
    private long nextId = 1;
    private long oldest = 1;

    SteadyLoad(String url, String table, int changesPerSecond) {
        int perTick = Math.max(3, changesPerSecond / 100);
        this.url = url;
        this.table = table;
        this.inserts = (int) Math.ceil(perTick * 0.6);
        this.updates = (int) Math.round(perTick * 0.3);
        this.deletes = Math.max(1, perTick - inserts - updates);
    }

    Result run(Duration duration) throws SQLException {
        String sql = "WITH ins AS (INSERT INTO " + table + " SELECT " + BenchTables.row("i") + " FROM generate_series(?::bigint, ?::bigint) i RETURNING 1),"
                + " upd AS (UPDATE " + table + " SET score = score + 1, active = NOT active, updated_at = now() WHERE id BETWEEN ? AND ? RETURNING 1),"
                + " del AS (DELETE FROM " + table + " WHERE id BETWEEN ? AND ? RETURNING 1)"
                + " SELECT (SELECT count(*) FROM ins) + (SELECT count(*) FROM upd) + (SELECT count(*) FROM del)";
        try (Connection connection = DriverManager.getConnection(url); PreparedStatement statement = connection.prepareStatement(sql)) {
            long started = System.nanoTime();
            long end = started + duration.toNanos();
            long next = started;
            long changes = 0;
            long transactions = 0;
            while (next < end) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                changes += tick(statement);
                transactions++;
                next += TICK_NANOS;
            }
            return new Result(changes, transactions, System.nanoTime() - started);
        }
    }

    private long tick(PreparedStatement statement) throws SQLException {
        statement.setLong(1, nextId);
        statement.setLong(2, nextId + inserts - 1);
        statement.setLong(3, nextId - updates);
        statement.setLong(4, nextId - 1);
        statement.setLong(5, oldest);
        statement.setLong(6, oldest + deletes - 1);
        nextId += inserts;
        oldest += deletes;
        try (ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
