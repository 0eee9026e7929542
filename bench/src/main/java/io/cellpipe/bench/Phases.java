package io.cellpipe.bench;

import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** The four measurements, each against the same cell, each with its own table, slot and warehouse file. */
final class Phases {
    private static final Duration LONG = Duration.ofMinutes(30);

    /** {@code debezium} is null when the run left Debezium out. */
    record Streaming(long workloadChanges, int transactions, double writeSeconds, RawStreamBaseline.Result raw, long cellpipeChanges,
            long cellpipeNanos, DebeziumBaseline.Result debezium) {
        double cellpipePerSecond() {
            return cellpipeChanges / (cellpipeNanos / 1e9);
        }
    }

    /** {@code debezium} is null when the run left Debezium out. */
    record Snapshot(long tableRows, RawCopyBaseline.Result raw, long cellpipeRows, long cellpipeNanos, int parallelism,
            DebeziumBaseline.Result debezium) {
        double cellpipePerSecond() {
            return cellpipeRows / (cellpipeNanos / 1e9);
        }
    }

    record Latency(int targetRate, SteadyLoad.Result load, Duration warmUp, LatencyRecorder.Percentiles percentiles, int batchMaxDelayMillis) {
    }

    record Memory(long rows, double writeSeconds, long rssAfterStartKiB, long peakKiB, long changesApplied, double applySeconds,
            long snapshotRows, double snapshotSeconds, long snapshotPeakKiB) {
    }

    private final EmbeddedCell cell;
    private final Path directory;
    private final int protocolVersion;
    private final boolean debezium;

    Phases(EmbeddedCell cell, Path directory, int protocolVersion, boolean debezium) {
        this.cell = cell;
        this.directory = directory;
        this.protocolVersion = protocolVersion;
        this.debezium = debezium;
    }

    /**
     * cellpipe's slot is created by its snapshot of the still empty table, and the raw slot next to it; then the
     * workload is written while nobody reads, and each consumer reads all of it from its own slot, one after the other
     * (Debezium's slot is made with the raw one, and Debezium reads last).
     */
    Streaming streaming(int transactions) throws Exception {
        String url = cell.jdbcUrl();
        try (Connection connection = cell.connect()) {
            BenchTables.create(connection, BenchTables.STREAM);
            BenchTables.createWorkloadProcedure(connection);
        }
        PipelineConfig config = PipelineSetup.config(PipelineSetup.yaml("bench_stream", url, BenchTables.STREAM, directory));
        try (Destination destination = PipelineSetup.destination(config)) {
            try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(PipelineSetup.sources(config));
                PipelineSetup.awaitStreaming(pipeline, Duration.ofMinutes(2));
            }
            long writeStarted = System.nanoTime();
            try (Connection connection = cell.connect(); Statement statement = connection.createStatement()) {
                RawStreamBaseline.createSlot(connection, BenchTables.STREAM);
                if (debezium) {
                    DebeziumBaseline.createSlot(connection, DebeziumBaseline.STREAM_NAME, BenchTables.STREAM);
                }
                statement.execute("CALL bench_stream_workload(" + transactions + ")");
            }
            double writeSeconds = (System.nanoTime() - writeStarted) / 1e9;
            Lsn marker = PipelineSetup.marker(url, BenchTables.STREAM);
            log("streaming: wrote %,d changes in %,d transactions in %.1f s; raw baseline reading", BenchTables.workloadChanges(transactions),
                    transactions, writeSeconds);
            RawStreamBaseline.Result raw = RawStreamBaseline.run(url, protocolVersion, marker, LONG);
            log("streaming: raw baseline %,d changes in %.2f s; cellpipe reading", raw.changes(), raw.nanos() / 1e9);
            long cpuStarted = processCpuNanos();
            long started = System.nanoTime();
            CellReport done;
            try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(PipelineSetup.sources(config));
                done = PipelineSetup.awaitApplied(pipeline, marker, LONG);
            }
            long nanos = System.nanoTime() - started;
            double cpuSeconds = (processCpuNanos() - cpuStarted) / 1e9;
            log("streaming: cellpipe %,d changes in %.2f s, %.1f s of CPU in this JVM (%.1f us per change)%s", done.changesApplied(),
                    nanos / 1e9, cpuSeconds, cpuSeconds * 1e6 / done.changesApplied(), debezium ? "; Debezium reading" : "");
            long workloadChanges = BenchTables.workloadChanges(transactions) + 1;
            DebeziumBaseline.Result debeziumResult = null;
            if (debezium) {
                debeziumResult = DebeziumBaseline.stream(cell.port(), BenchTables.STREAM, workloadChanges, directory, LONG);
                log("streaming: Debezium %s %,d changes in %.2f s", debeziumResult.version(), debeziumResult.events(), debeziumResult.nanos() / 1e9);
            }
            return new Streaming(workloadChanges, transactions, writeSeconds, raw, done.changesApplied(), nanos, debeziumResult);
        } finally {
            try (Connection connection = cell.connect()) {
                RawStreamBaseline.dropSlot(connection);
                DebeziumBaseline.drop(connection, DebeziumBaseline.STREAM_NAME);
            }
            dropPipeline("bench_stream", BenchTables.STREAM);
        }
    }

    Snapshot snapshot(long rows) throws Exception {
        String url = cell.jdbcUrl();
        try (Connection connection = cell.connect(); Statement statement = connection.createStatement()) {
            BenchTables.create(connection, BenchTables.SNAPSHOT);
            long started = System.nanoTime();
            for (long from = 1; from <= rows; from += 1_000_000) {
                BenchTables.insertRange(connection, BenchTables.SNAPSHOT, from, Math.min(rows, from + 999_999));
            }
            // Both readers then find the same all-visible pages with hint bits set, instead of the first one paying for that.
            statement.execute("VACUUM (ANALYZE) " + BenchTables.SNAPSHOT);
            log("snapshot: wrote %,d rows in %.1f s; raw COPY reading", rows, (System.nanoTime() - started) / 1e9);
        }
        RawCopyBaseline.Result raw = RawCopyBaseline.run(url, BenchTables.SNAPSHOT);
        log("snapshot: raw COPY %,d rows in %.2f s; cellpipe copying", raw.rows(), raw.nanos() / 1e9);
        PipelineConfig config = PipelineSetup.config(PipelineSetup.yaml("bench_snapshot", url, BenchTables.SNAPSHOT, directory));
        try (Destination destination = PipelineSetup.destination(config)) {
            long started = System.nanoTime();
            CellReport done;
            try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(PipelineSetup.sources(config));
                done = PipelineSetup.awaitStreaming(pipeline, LONG);
            }
            long nanos = System.nanoTime() - started;
            long copied = done.snapshotRows().values().stream().mapToLong(Long::longValue).sum();
            log("snapshot: cellpipe %,d rows in %.2f s%s", copied, nanos / 1e9, debezium ? "; Debezium copying" : "");
            DebeziumBaseline.Result debeziumResult = null;
            if (debezium) {
                try (Connection connection = cell.connect()) {
                    DebeziumBaseline.createPublication(connection, DebeziumBaseline.SNAPSHOT_NAME, BenchTables.SNAPSHOT);
                }
                debeziumResult = DebeziumBaseline.snapshot(cell.port(), BenchTables.SNAPSHOT, rows, directory, LONG);
                log("snapshot: Debezium %s %,d rows in %.2f s", debeziumResult.version(), debeziumResult.events(), debeziumResult.nanos() / 1e9);
            }
            return new Snapshot(rows, raw, copied, nanos, config.capture().snapshotParallelism(), debeziumResult);
        } finally {
            try (Connection connection = cell.connect()) {
                DebeziumBaseline.drop(connection, DebeziumBaseline.SNAPSHOT_NAME);
            }
            dropPipeline("bench_snapshot", BenchTables.SNAPSHOT);
        }
    }

    Latency latency(int rate, Duration warmUp, Duration duration) throws Exception {
        String url = cell.jdbcUrl();
        try (Connection connection = cell.connect()) {
            BenchTables.create(connection, BenchTables.LATENCY);
        }
        PipelineConfig config = PipelineSetup.config(PipelineSetup.yaml("bench_latency", url, BenchTables.LATENCY, directory));
        LatencyRecorder recorder = new LatencyRecorder();
        try (Destination destination = new TimedDestination(PipelineSetup.destination(config), recorder);
                Pipeline pipeline = new Pipeline(destination, config.capture())) {
            pipeline.start(PipelineSetup.sources(config));
            PipelineSetup.awaitStreaming(pipeline, Duration.ofMinutes(2));
            SteadyLoad load = new SteadyLoad(url, BenchTables.LATENCY, rate);
            log("latency: %,d changes/s, %d s warm-up, then %d s measured", rate, warmUp.toSeconds(), duration.toSeconds());
            load.run(warmUp);
            recorder.recording(true);
            SteadyLoad.Result measured = load.run(duration);
            Lsn marker = PipelineSetup.marker(url, BenchTables.LATENCY);
            PipelineSetup.awaitApplied(pipeline, marker, LONG);
            recorder.recording(false);
            LatencyRecorder.Percentiles percentiles = recorder.percentiles();
            log("latency: p50 %.0f ms, p99 %.0f ms over %,d transactions", percentiles.p50Millis(), percentiles.p99Millis(), percentiles.samples());
            return new Latency(rate, measured, warmUp, percentiles, (int) config.capture().batchMaxDelay().toMillis());
        } finally {
            dropPipeline("bench_latency", BenchTables.LATENCY);
        }
    }

    Memory memory(long rows) throws Exception {
        String url = cell.jdbcUrl();
        // first a table of as many rows, copied by the snapshot of a pipeline JVM of its own
        try (Connection connection = cell.connect()) {
            BenchTables.create(connection, BenchTables.MEMORY_SNAPSHOT);
            BenchTables.insertRange(connection, BenchTables.MEMORY_SNAPSHOT, 1, rows);
        }
        long snapshotPeak;
        double snapshotSeconds;
        try (ChildPipeline child = ChildPipeline.start(PipelineSetup.yaml("bench_memory_snapshot", url, BenchTables.MEMORY_SNAPSHOT,
                directory), directory)) {
            long started = System.nanoTime();
            child.awaitStreaming(LONG);
            snapshotSeconds = (System.nanoTime() - started) / 1e9;
            snapshotPeak = child.statusKiB("VmHWM");
            log("memory: snapshot of %,d rows copied in %.1f s (from the process's start); peak RSS %,d KiB", rows, snapshotSeconds,
                    snapshotPeak);
        } finally {
            dropPipeline("bench_memory_snapshot", BenchTables.MEMORY_SNAPSHOT);
        }
        try (Connection connection = cell.connect()) {
            BenchTables.create(connection, BenchTables.MEMORY);
        }
        String yaml = PipelineSetup.yaml("bench_memory", url, BenchTables.MEMORY, directory);
        try (ChildPipeline child = ChildPipeline.start(yaml, directory)) {
            child.awaitStreaming(Duration.ofMinutes(2));
            long rssAfterStart = child.statusKiB("VmRSS");
            long started = System.nanoTime();
            try (Connection connection = cell.connect()) {
                BenchTables.insertRange(connection, BenchTables.MEMORY, 1, rows);
            }
            double writeSeconds = (System.nanoTime() - started) / 1e9;
            log("memory: one transaction of %,d inserts written in %.1f s; pipeline process %d applying", rows, writeSeconds, child.pid());
            Lsn marker = PipelineSetup.marker(url, BenchTables.MEMORY);
            child.awaitApplied(marker, LONG);
            double applySeconds = (System.nanoTime() - started) / 1e9;
            long peak = child.statusKiB("VmHWM");
            log("memory: peak RSS %,d KiB", peak);
            return new Memory(rows, writeSeconds, rssAfterStart, peak, child.changesApplied(), applySeconds, rows, snapshotSeconds,
                    snapshotPeak);
        } finally {
            dropPipeline("bench_memory", BenchTables.MEMORY);
        }
    }

    /** Frees the slot (and so the WAL it holds) and the table once a measurement is done. */
    private void dropPipeline(String pipeline, String table) throws SQLException, InterruptedException {
        try (Connection connection = cell.connect(); Statement statement = connection.createStatement()) {
            // The walsender of a pipeline that just stopped may hold the slot for a moment longer.
            for (int attempt = 1; ; attempt++) {
                try {
                    statement.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'cellpipe_"
                            + pipeline + "'");
                    break;
                } catch (SQLException e) {
                    if (!"55006".equals(e.getSQLState()) || attempt == 50) {
                        throw e;
                    }
                    Thread.sleep(200);
                }
            }
            statement.execute("DROP PUBLICATION IF EXISTS cellpipe_" + pipeline);
            statement.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    /** This JVM's CPU time so far: the benchmark runs one system at a time, so a difference is that system's. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static void log(String format, Object... args) {
        System.err.println("bench: " + String.format(format, args));
    }
}
