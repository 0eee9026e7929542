package io.cellpipe.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;
import java.util.UUID;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * What a change-log row costs DuckDB, by layout (docs/BENCHMARKS.md, "Where the time goes now"): the same changes
 * (a key and an after image as UTF-8 JSON, the size of the streaming benchmark's) appended with the appender, in
 * transactions of 20,000 changes, to a DuckDB file opened with the warehouse's settings, in two layouts:
 * <ul>
 *   <li>{@code wide}: one 12-column row per change, as {@code _cellpipe.changes} was stored before it became a view;
 *   <li>{@code split}: one 8-column row per change (cell, LSN value, position, table, op, key, before, after) and one
 *       row per source transaction (100 changes here) with the commit's columns (LSN text, commit time, xid, upload
 *       time), which a view can join back into {@code _cellpipe.changes}'s columns;
 *   <li>{@code ids}: as {@code split}, with the change row's cell and LSN value replaced by one number of its
 *       transaction and the table name by a number (from a table of names): the layout the change log has now.
 * </ul>
 * Timed by the appending thread's CPU (DuckDB runs with one thread, so its appends, commits and checkpoints run on
 * it), images built before each batch's clock starts. The layouts alternate, each in a new file.
 *
 * <p>{@code java --enable-native-access=ALL-UNNAMED -cp bench/target/cellpipe-bench.jar
 * io.cellpipe.bench.ChangeLogLayoutBench [changes] [rounds]}
 */
public final class ChangeLogLayoutBench {
    private static final int BATCH = 20_000;
    private static final int PER_TRANSACTION = 100;
    private static final long EPOCH_MICROS = 1_763_000_000_000_000L;
    private static final String TABLE_NAME = "public.stream_items";

    private ChangeLogLayoutBench() {
    }

    public static void main(String[] args) throws Exception {
        int changes = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        for (int round = 1; round <= rounds; round++) {
            for (String layout : new String[] {"wide", "split", "ids"}) {
                Path directory = Files.createTempDirectory("cellpipe-change-log-bench");
                try {
                    double micros = run(layout, directory.resolve("log.duckdb"), changes);
                    System.out.printf("round %d, %-5s: %,d changes, %.2f us of CPU per change%n", round, layout, changes, micros);
                } finally {
                    try (var files = Files.walk(directory)) {
                        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                    }
                }
            }
        }
    }

    /** Appends {@code changes} changes in {@code layout}; returns the CPU microseconds per change. */
    private static double run(String layout, Path file, int changes) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("memory_limit", "128MB");
        properties.setProperty("threads", "1");
        properties.setProperty("checkpoint_threshold", "256MB");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = 0;
        try (DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file, properties);
                Statement statement = connection.createStatement()) {
            String json = " JSON USING COMPRESSION zstd";
            if (layout.equals("wide")) {
                statement.execute("CREATE TABLE changes (cell_id VARCHAR NOT NULL, lsn VARCHAR NOT NULL, lsn_value UBIGINT NOT NULL,"
                        + " commit_ts TIMESTAMP WITH TIME ZONE, xid BIGINT, table_name VARCHAR NOT NULL, op VARCHAR NOT NULL, seq BIGINT NOT NULL,"
                        + " \"key\"" + json + ", \"before\"" + json + ", \"after\"" + json + ", uploaded_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            } else if (layout.equals("ids")) {
                statement.execute("CREATE TABLE change_rows (commit_id BIGINT NOT NULL, seq INTEGER NOT NULL, table_id INTEGER NOT NULL,"
                        + " op VARCHAR NOT NULL, \"key\"" + json + ", \"before\"" + json + ", \"after\"" + json + ")");
                statement.execute("CREATE TABLE change_commits (commit_id BIGINT NOT NULL, cell_id VARCHAR NOT NULL, lsn VARCHAR NOT NULL,"
                        + " lsn_value UBIGINT NOT NULL, commit_ts TIMESTAMP WITH TIME ZONE, xid BIGINT, uploaded_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            } else {
                statement.execute("CREATE TABLE change_rows (cell_id VARCHAR NOT NULL, lsn_value UBIGINT NOT NULL, seq BIGINT NOT NULL,"
                        + " table_name VARCHAR NOT NULL, op VARCHAR NOT NULL, \"key\"" + json + ", \"before\"" + json + ", \"after\"" + json + ")");
                statement.execute("CREATE TABLE change_commits (cell_id VARCHAR NOT NULL, lsn VARCHAR NOT NULL, lsn_value UBIGINT NOT NULL,"
                        + " commit_ts TIMESTAMP WITH TIME ZONE, xid BIGINT, uploaded_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            }
            byte[][] keys = new byte[BATCH][];
            byte[][] afters = new byte[BATCH][];
            for (int first = 0; first < changes; first += BATCH) {
                int count = Math.min(BATCH, changes - first);
                for (int i = 0; i < count; i++) {
                    long id = first + i;
                    keys[i] = ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
                    afters[i] = after(id).getBytes(StandardCharsets.UTF_8);
                }
                long start = threads.getCurrentThreadCpuTime();
                statement.execute("BEGIN TRANSACTION");
                if (layout.equals("wide")) {
                    appendWide(connection, first, count, keys, afters);
                } else if (layout.equals("ids")) {
                    appendIds(connection, first, count, keys, afters);
                } else {
                    appendSplit(connection, first, count, keys, afters);
                }
                statement.execute("COMMIT");
                cpu += threads.getCurrentThreadCpuTime() - start;
            }
        }
        return cpu / 1e3 / changes;
    }

    private static void appendWide(DuckDBConnection connection, int first, int count, byte[][] keys, byte[][] afters) throws SQLException {
        try (DuckDBAppender appender = connection.createAppender("main", "changes")) {
            for (int i = 0; i < count; i++) {
                long lsn = lsn(first + i);
                appender.beginRow().append("cell-1").append(lsnText(lsn)).append(lsn).appendEpochMicros(EPOCH_MICROS + first + i)
                        .append((long) (first + i) / PER_TRANSACTION).append(TABLE_NAME).append("U").append((long) (first + i) % PER_TRANSACTION)
                        .append(keys[i]).appendNull().append(afters[i]).appendEpochMicros(EPOCH_MICROS).endRow();
            }
        }
    }

    private static void appendSplit(DuckDBConnection connection, int first, int count, byte[][] keys, byte[][] afters) throws SQLException {
        try (DuckDBAppender rows = connection.createAppender("main", "change_rows");
                DuckDBAppender commits = connection.createAppender("main", "change_commits")) {
            for (int i = 0; i < count; i++) {
                long lsn = lsn(first + i);
                rows.beginRow().append("cell-1").append(lsn).append((long) (first + i) % PER_TRANSACTION).append(TABLE_NAME).append("U")
                        .append(keys[i]).appendNull().append(afters[i]).endRow();
                if ((first + i) % PER_TRANSACTION == 0) {
                    commits.beginRow().append("cell-1").append(lsnText(lsn)).append(lsn).appendEpochMicros(EPOCH_MICROS + first + i)
                            .append((long) (first + i) / PER_TRANSACTION).appendEpochMicros(EPOCH_MICROS).endRow();
                }
            }
        }
    }

    private static void appendIds(DuckDBConnection connection, int first, int count, byte[][] keys, byte[][] afters) throws SQLException {
        try (DuckDBAppender rows = connection.createAppender("main", "change_rows");
                DuckDBAppender commits = connection.createAppender("main", "change_commits")) {
            for (int i = 0; i < count; i++) {
                long transaction = (first + i) / PER_TRANSACTION;
                rows.beginRow().append(transaction).append((first + i) % PER_TRANSACTION).append(1).append("U").append(keys[i]).appendNull()
                        .append(afters[i]).endRow();
                if ((first + i) % PER_TRANSACTION == 0) {
                    long lsn = lsn(first + i);
                    commits.beginRow().append(transaction).append("cell-1").append(lsnText(lsn)).append(lsn).appendEpochMicros(EPOCH_MICROS + first + i)
                            .append(transaction).appendEpochMicros(EPOCH_MICROS).endRow();
                }
            }
        }
    }

    /** PostgreSQL's text form of an LSN, as the change log stores it. */
    private static String lsnText(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }

    /** The commit LSN of the change's transaction. */
    private static long lsn(long change) {
        return 0x1_0000_0000L + change / PER_TRANSACTION * 8192;
    }

    /** An after image like the streaming benchmark's row (ten mixed-type columns after the key), as JSON. */
    private static String after(long id) {
        return "{\"id\":" + id + ",\"account_id\":" + id % 1000 + ",\"name\":\"item-" + id + "\",\"email\":\"user" + id + "@example.com\","
                + "\"amount\":" + id % 100000 / 100 + ".50,\"score\":" + id * 0.5 + ",\"active\":" + (id % 2 == 0) + ","
                + "\"created_at\":\"2024-01-01 00:00:01+00\",\"updated_at\":\"2026-11-21 09:00:00.123456+00\","
                + "\"payload\":{\"k\":" + id + ",\"tag\":\"t" + id % 10 + "\"},\"ref\":\"" + UUID.nameUUIDFromBytes(Long.toString(id).getBytes(
                StandardCharsets.UTF_8)) + "\"}";
    }
}
