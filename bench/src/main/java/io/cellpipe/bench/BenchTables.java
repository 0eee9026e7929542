package io.cellpipe.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmark's tables (ten mixed-type columns after the key) and the SQL that fills and changes them.
 * All rows are generated on the server, so that writing the workload costs the benchmark little time.
 */
final class BenchTables {
    static final String STREAM = "stream_items";
    static final String SNAPSHOT = "snapshot_items";
    static final String LATENCY = "latency_items";
    static final String MEMORY = "memory_items";
    static final String MEMORY_SNAPSHOT = "memory_snapshot_items";

    /** Changes per transaction of the pre-written streaming workload: 60 % inserts, 30 % updates, 10 % deletes. */
    static final int CHANGES_PER_TRANSACTION = 100;

    private BenchTables() {
    }

    static void create(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " ("
                    + "id bigint PRIMARY KEY, account_id integer NOT NULL, name text NOT NULL, email text, amount numeric(12,2),"
                    + " score double precision, active boolean, created_at timestamptz, updated_at timestamptz, payload jsonb, ref uuid)");
        }
    }

    /** A SELECT list producing one row for the bigint {@code i}. */
    static String row(String i) {
        return i + ", (" + i + " % 1000)::int, 'item-' || " + i + ", 'user' || " + i + " || '@example.com', (" + i + " % 100000) / 100.0, "
                + i + " * 0.5, " + i + " % 2 = 0, timestamptz '2024-01-01 00:00:00+00' + " + i + " * interval '1 second', now(),"
                + " jsonb_build_object('k', " + i + ", 'tag', 't' || (" + i + " % 10)), md5(" + i + "::text)::uuid";
    }

    static void insertRange(Connection connection, String table, long from, long to) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO " + table + " SELECT " + row("i") + " FROM generate_series(" + from + "::bigint, " + to + "::bigint) i");
        }
    }

    /**
     * A procedure that commits {@code transactions} transactions of {@link #CHANGES_PER_TRANSACTION} changes each
     * (procedures may COMMIT, so one CALL writes the whole workload without a round trip per transaction).
     * Each transaction inserts 60 new rows, updates the 30 newest rows of the previous transaction and deletes
     * the 10 oldest live rows.
     */
    static void createWorkloadProcedure(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE OR REPLACE PROCEDURE bench_stream_workload(transactions integer) LANGUAGE plpgsql AS $$\n"
                    + "DECLARE next_id bigint := 1; oldest bigint := 1;\n"
                    + "BEGIN\n"
                    + "  FOR t IN 1..transactions LOOP\n"
                    + "    INSERT INTO " + STREAM + " SELECT " + row("i") + " FROM generate_series(next_id, next_id + 59) i;\n"
                    + "    UPDATE " + STREAM + " SET score = score + 1, active = NOT active, updated_at = now(),"
                    + " payload = payload || jsonb_build_object('v', t) WHERE id BETWEEN next_id - 30 AND next_id - 1;\n"
                    + "    DELETE FROM " + STREAM + " WHERE id BETWEEN oldest AND oldest + 9;\n"
                    + "    next_id := next_id + 60; oldest := oldest + 10;\n"
                    + "    COMMIT;\n"
                    + "  END LOOP;\n"
                    + "END $$");
        }
    }

    /** Changes the workload of {@code transactions} transactions makes: the first has no previous rows to update. */
    static long workloadChanges(int transactions) {
        return transactions * 70L + Math.max(0, transactions - 1) * 30L;
    }
}
