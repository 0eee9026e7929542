package io.cellpipe.bench;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Debezium's PostgreSQL connector in its embedded engine, with the JSON format, into a consumer that counts the
 * change events of the measured table and throws them away. Its settings are Debezium's defaults except for what
 * the comparison needs (see {@link #properties}); it reads the same table, from its own slot and publication.
 */
final class DebeziumBaseline {
    static final String STREAM_NAME = "bench_dbz";
    static final String SNAPSHOT_NAME = "bench_dbz_snapshot";

    /** {@code firstEventNanos}: from the start to the first counted event (the engine's start-up and connecting). */
    record Result(String version, long events, long nanos, long firstEventNanos) {
        double eventsPerSecond() {
            return events / (nanos / 1e9);
        }
    }

    private DebeziumBaseline() {
    }

    static String version() {
        return io.debezium.connector.postgresql.Module.version();
    }

    /** The publication and slot, created like the raw baseline's before the workload is written. */
    static void createSlot(Connection connection, String name, String table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE PUBLICATION " + name + " FOR TABLE " + table);
            statement.execute("SELECT pg_create_logical_replication_slot('" + name + "', 'pgoutput')");
        }
    }

    static void createPublication(Connection connection, String name, String table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE PUBLICATION " + name + " FOR TABLE " + table);
        }
    }

    /** Drops the slot if there is one (the engine's walsender may hold it for a moment after the engine stopped). */
    static void drop(Connection connection, String name) throws SQLException, InterruptedException {
        try (Statement statement = connection.createStatement()) {
            for (int attempt = 1; ; attempt++) {
                try {
                    statement.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + name + "'");
                    break;
                } catch (SQLException e) {
                    if (!"55006".equals(e.getSQLState()) || attempt == 50) {
                        throw e;
                    }
                    Thread.sleep(200);
                }
            }
            statement.execute("DROP PUBLICATION IF EXISTS " + name);
        }
    }

    /**
     * Streams from the slot made by {@link #createSlot} with no stored offset and {@code snapshot.mode=no_data}: the
     * connector then starts at the slot's confirmed position, before the workload, as the raw reader does.
     */
    static Result stream(int port, String table, long expectedChanges, Path directory, Duration timeout) throws Exception {
        Properties properties = properties(STREAM_NAME, port, table, directory);
        properties.setProperty("snapshot.mode", "no_data");
        return run(properties, STREAM_NAME + ".public." + table, expectedChanges, timeout);
    }

    /** The initial snapshot alone ({@code snapshot.mode=initial_only}), until every row of the table was read. */
    static Result snapshot(int port, String table, long expectedRows, Path directory, Duration timeout) throws Exception {
        Properties properties = properties(SNAPSHOT_NAME, port, table, directory);
        properties.setProperty("snapshot.mode", "initial_only");
        return run(properties, SNAPSHOT_NAME + ".public." + table, expectedRows, timeout);
    }

    private static Properties properties(String name, int port, String table, Path directory) {
        Properties properties = new Properties();
        properties.setProperty("name", name);
        properties.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        properties.setProperty("database.hostname", "127.0.0.1");
        properties.setProperty("database.port", String.valueOf(port));
        properties.setProperty("database.user", "postgres");
        properties.setProperty("database.password", "");
        properties.setProperty("database.dbname", "postgres");
        properties.setProperty("topic.prefix", name);
        properties.setProperty("table.include.list", "public." + table);
        properties.setProperty("plugin.name", "pgoutput");
        properties.setProperty("slot.name", name);
        properties.setProperty("publication.name", name);
        properties.setProperty("publication.autocreate.mode", "disabled");
        // One event per delete, as cellpipe applies one change; the default adds a null-valued tombstone for Kafka compaction.
        properties.setProperty("tombstones.on.delete", "false");
        // JSON without the schema repeated in every event: the lighter of the JSON converter's two shapes.
        properties.setProperty("converter.schemas.enable", "false");
        properties.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        properties.setProperty("offset.storage.file.filename", directory.resolve(name + ".offsets").toString());
        return properties;
    }

    private static Result run(Properties properties, String topic, long expected, Duration timeout) throws Exception {
        CountingConsumer consumer = new CountingConsumer(topic, expected);
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "debezium-engine"));
        long started = System.nanoTime();
        DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
                .using(properties)
                .notifying(consumer)
                .using((success, message, error) -> consumer.engineStopped(message, error))
                .build();
        try {
            executor.execute(engine);
            long reachedAt = consumer.await(timeout);
            return new Result(version(), consumer.count(), reachedAt - started, consumer.firstAt() - started);
        } finally {
            close(engine, consumer);
            executor.shutdown();
            if (!executor.awaitTermination(2, TimeUnit.MINUTES)) {
                Phases.log("debezium: the engine did not stop within 2 minutes");
            }
        }
    }

    /** Stops the engine unless it stopped by itself (then closing throws, and would hide why it stopped). */
    private static void close(DebeziumEngine<?> engine, CountingConsumer consumer) {
        if (consumer.engineHasStopped()) {
            return;
        }
        try {
            engine.close();
        } catch (IOException | IllegalStateException e) {
            Phases.log("debezium: closing the engine failed: %s", e);
        }
    }

    /**
     * Counts the events of one topic (the measured table; heartbeats and other topics are not counted) and notes
     * the time when the expected number has been seen. The engine calls {@link #handleBatch} from one thread per task.
     */
    private static final class CountingConsumer implements DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> {
        private final String topic;
        private final long expected;
        private final AtomicLong count = new AtomicLong();
        private final CountDownLatch done = new CountDownLatch(1);
        private final AtomicReference<String> stopped = new AtomicReference<>();
        private volatile long firstAt;
        private volatile long reachedAt;

        CountingConsumer(String topic, long expected) {
            this.topic = topic;
            this.expected = expected;
        }

        @Override
        public void handleBatch(List<ChangeEvent<String, String>> records, DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
                throws InterruptedException {
            long counted = 0;
            for (ChangeEvent<String, String> record : records) {
                if (topic.equals(record.destination()) && record.value() != null) {
                    counted++;
                }
                committer.markProcessed(record);
            }
            committer.markBatchFinished();
            if (counted > 0 && firstAt == 0) {
                firstAt = System.nanoTime();
            }
            if (count.addAndGet(counted) >= expected && reachedAt == 0) {
                reachedAt = System.nanoTime();
                done.countDown();
            }
        }

        void engineStopped(String message, Throwable error) {
            stopped.set(message + (error == null ? "" : ": " + error));
            done.countDown();
        }

        boolean engineHasStopped() {
            return stopped.get() != null;
        }

        long await(Duration timeout) throws InterruptedException {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("debezium: " + count.get() + " of " + expected + " events on " + topic + " within " + timeout);
            }
            if (reachedAt == 0) {
                throw new IllegalStateException("debezium: the engine stopped after " + count.get() + " of " + expected + " events on " + topic
                        + ": " + stopped.get());
            }
            return reachedAt;
        }

        long firstAt() {
            return firstAt;
        }

        long count() {
            return count.get();
        }
    }
}
