package io.cellpipe.bench;

import io.cellpipe.core.model.Lsn;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * The limit for streaming: a consumer that reads the pgoutput stream of its own slot and throws it away,
 * counting change messages and acknowledging as it goes. What it measures is PostgreSQL's decoding and sending
 * rate plus PgJDBC's framing; nothing cellpipe does can be faster.
 */
final class RawStreamBaseline {
    static final String NAME = "bench_raw";

    record Result(long changes, long transactions, long nanos) {
        double changesPerSecond() {
            return changes / (nanos / 1e9);
        }
    }

    private RawStreamBaseline() {
    }

    /** The publication and slot; created before the workload is written so that the slot decodes all of it. */
    static void createSlot(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE PUBLICATION " + NAME + " FOR TABLE " + table);
            statement.execute("SELECT pg_create_logical_replication_slot('" + NAME + "', 'pgoutput')");
        }
    }

    static void dropSlot(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + NAME + "'");
            statement.execute("DROP PUBLICATION IF EXISTS " + NAME);
        }
    }

    /** Reads from the slot's position until a commit past {@code past}; the time includes connecting. */
    static Result run(String url, int protocolVersion, Lsn past, Duration timeout) throws SQLException {
        Properties properties = new Properties();
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        try (Connection replication = DriverManager.getConnection(url, properties)) {
            PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI().replicationStream().logical()
                    .withSlotName(NAME)
                    .withSlotOption("proto_version", String.valueOf(protocolVersion))
                    .withSlotOption("publication_names", NAME)
                    .withSlotOption("streaming", "on")
                    .withStatusInterval(10, TimeUnit.SECONDS)
                    .start();
            long changes = 0;
            long transactions = 0;
            long lastAck = started;
            while (true) {
                ByteBuffer message = stream.readPending();
                if (message == null) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("raw baseline: no commit past " + past + " within " + timeout + " (" + changes + " changes read)");
                    }
                    LockSupport.parkNanos(50_000);
                    continue;
                }
                int at = message.position();
                byte type = message.get(at);
                switch (type) {
                    case 'I', 'U', 'D' -> changes++;
                    case 'C', 'c' -> {
                        // Commit: type, flags, commit LSN, end LSN, time. Stream commit: type, xid, flags, commit LSN, end LSN, time.
                        long end = message.getLong(at + (type == 'C' ? 10 : 14));
                        transactions++;
                        long now = System.nanoTime();
                        if (now - lastAck > TimeUnit.SECONDS.toNanos(1)) {
                            stream.setFlushedLSN(LogSequenceNumber.valueOf(end));
                            stream.setAppliedLSN(LogSequenceNumber.valueOf(end));
                            stream.forceUpdateStatus();
                            lastAck = now;
                        }
                        if (new Lsn(end).isAfter(past)) {
                            long nanos = now - started;
                            stream.setFlushedLSN(LogSequenceNumber.valueOf(end));
                            stream.forceUpdateStatus();
                            stream.close();
                            return new Result(changes, transactions, nanos);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
    }
}
