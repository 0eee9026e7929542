package io.cellpipe.bench;

import io.cellpipe.testing.EmbeddedCell;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How one process scales with the number of cells: for 1, 10 and 50 cells from one registry file, the time
 * until every cell is snapshotted and streaming, the pipeline JVM's resident memory once they idle, and the
 * aggregate rate at which it catches up on one fixed workload spread over the cells. The cells are databases
 * on PostgreSQL servers of 25 cells each, every cell with its own slot; each N runs in a fresh pipeline JVM.
 */
final class CellsBench {
    private static final int CELLS_PER_SERVER = 25;

    record Result(int cells, int rowsPerCell, long startMillis, long idleRssKiB, long peakRssKiB, long changes, double catchUpSeconds) {
        double changesPerSecond() {
            return changes / catchUpSeconds;
        }
    }

    private final Path directory;
    private final int rowsPerCell;
    private final int totalTransactions;

    CellsBench(Path directory, int rowsPerCell, int totalTransactions) {
        this.directory = directory;
        this.rowsPerCell = rowsPerCell;
        this.totalTransactions = totalTransactions;
    }

    List<Result> run(List<Integer> counts) throws Exception {
        int most = counts.stream().mapToInt(Integer::intValue).max().orElse(1);
        List<EmbeddedCell> servers = new ArrayList<>();
        try {
            for (int i = 0; i < (most + CELLS_PER_SERVER - 1) / CELLS_PER_SERVER; i++) {
                servers.add(EmbeddedCell.builder().setting("max_replication_slots", "40").setting("max_wal_senders", "40")
                        .setting("max_connections", "250").setting("shared_buffers", "64MB").start());
            }
            List<Result> results = new ArrayList<>();
            for (int cells : counts) {
                results.add(measure(cells, servers));
            }
            return results;
        } finally {
            servers.forEach(EmbeddedCell::close);
        }
    }

    private Result measure(int cells, List<EmbeddedCell> servers) throws Exception {
        Phases.log("cells: preparing %d cells with %,d rows each", cells, rowsPerCell);
        StringBuilder toml = new StringBuilder();
        for (int id = 1; id <= cells; id++) {
            EmbeddedCell server = servers.get((id - 1) / CELLS_PER_SERVER);
            server.createDatabase(database(cells, id));
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(database(cells, id)))) {
                BenchTables.create(connection, BenchTables.STREAM);
                BenchTables.insertRange(connection, BenchTables.STREAM, 1_000_000_001L, 1_000_000_000L + rowsPerCell);
                BenchTables.createWorkloadProcedure(connection);
            }
            toml.append("[[cells]]\nid = ").append(id).append("\naddress = \"127.0.0.1:").append(server.port()).append("\"\n\n");
        }
        Path run = Files.createDirectories(directory.resolve("cells-" + cells));
        Files.writeString(run.resolve("cells.toml"), toml);
        Files.writeString(run.resolve("cellpipe.yml"), "pipeline: bench_cells\n"
                + "cells:\n  registry: cells.toml\n  dsn: \"jdbc:postgresql://{address}/" + database(cells, 0).replace("c0", "c{id}") + "?user=postgres\"\n"
                + "  slot: \"cellpipe_bench_" + cells + "_{id}\"\n"
                + "tables:\n  include: [\"public." + BenchTables.STREAM + "\"]\n"
                + "destination:\n  duckdb:\n    path: \"" + run.resolve("w.duckdb") + "\"\n"
                + "capture:\n  spill_directory: \"" + run.resolve("spill") + "\"\n");

        long startMillis;
        long idleRss;
        long peak;
        try (Child child = Child.start(run.resolve("cellpipe.yml"))) {
            long started = System.nanoTime();
            child.await(() -> child.streaming == cells, Duration.ofMinutes(10), "all " + cells + " cells streaming");
            startMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            Thread.sleep(5_000);
            idleRss = child.statusKiB("VmRSS");
            peak = child.statusKiB("VmHWM");
        }
        Phases.log("cells: %d cells streaming after %,d ms; idle RSS %,d MiB; writing %,d transactions over them", cells, startMillis,
                idleRss / 1024, totalTransactions);
        long changes = writeWorkload(cells, servers);
        double seconds;
        try (Child child = Child.start(run.resolve("cellpipe.yml"))) {
            child.await(() -> child.reported, Duration.ofMinutes(2), "first report");
            long started = System.nanoTime();
            child.await(() -> child.changes >= changes, Duration.ofMinutes(30), "all " + changes + " changes applied");
            seconds = (System.nanoTime() - started) / 1e9;
            peak = Math.max(peak, child.statusKiB("VmHWM"));
        }
        Phases.log("cells: %d cells applied %,d changes in %.1f s", cells, changes, seconds);
        for (int id = 1; id <= cells; id++) {
            EmbeddedCell server = servers.get((id - 1) / CELLS_PER_SERVER);
            server.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'cellpipe_bench_" + cells + "_"
                    + id + "'", "DROP DATABASE " + database(cells, id));
        }
        return new Result(cells, rowsPerCell, startMillis, idleRss, peak, changes, seconds);
    }

    /** The same number of transactions in all, spread evenly over the cells and written four cells at a time. */
    private long writeWorkload(int cells, List<EmbeddedCell> servers) throws Exception {
        int perCell = Math.max(1, totalTransactions / cells);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int id = 1; id <= cells; id++) {
                String url = servers.get((id - 1) / CELLS_PER_SERVER).jdbcUrl(database(cells, id));
                done.add(writers.submit(() -> {
                    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
                        statement.execute("CALL bench_stream_workload(" + perCell + ")");
                    }
                    return null;
                }));
            }
            for (Future<?> each : done) {
                each.get();
            }
        } finally {
            writers.shutdown();
        }
        return cells * BenchTables.workloadChanges(perCell);
    }

    private static String database(int cells, int id) {
        return "n" + cells + "c" + id;
    }

    static final String BEGIN = "<!-- bench-cells:begin (written by ./bench/run.sh --cells) -->";
    static final String END = "<!-- bench-cells:end -->";

    static void writeInto(Path page, String markdown) throws IOException {
        String block = BEGIN + "\n\n" + markdown + "\n" + END;
        String text = Files.readString(page, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        String updated = begin >= 0 && end > begin
                ? text.substring(0, begin) + block + text.substring(end + END.length())
                : text + (text.endsWith("\n") ? "\n" : "\n\n") + "## Many cells in one process\n\n" + block + "\n";
        Files.writeString(page, updated, StandardCharsets.UTF_8);
    }

    static String markdown(List<Result> results, String command, MachineInfo machine) {
        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(LocalDate.now()).append(" with `").append(command).append("` on ").append(machine.processors())
                .append(" CPUs (").append(machine.cpuModel()).append("), ").append(String.format("%.1f GiB", machine.memoryMiB() / 1024.0))
                .append(" RAM, ").append(machine.postgres()).append(", JDK ").append(machine.jdk()).append(". Each pipeline is a JVM of its own")
                .append(" started with the launcher's JVM options (`scripts/jvm.options`)")
                .append(extraOptions().isEmpty() ? "" : " and `" + extraOptions() + "`").append("; the catch-up workload is the streaming phase's (inserts, updates,")
                .append(" deletes of the 11-column table), spread evenly over the cells and written while the pipeline is stopped.\n\n");
        md.append("| cells | start-up: all snapshotted and streaming | pipeline RSS idle | per extra cell | peak RSS | catch-up: changes | aggregate rate | vs 1 cell |\n");
        md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        Result first = results.get(0);
        for (Result result : results) {
            String perCell = result.cells() == first.cells() ? "" : String.format("%,.1f MiB",
                    (result.idleRssKiB() - first.idleRssKiB()) / 1024.0 / (result.cells() - first.cells()));
            md.append(String.format("| %d | %,.1f s (%,d rows per cell) | %,d MiB | %s | %,d MiB | %,d | %,.0f changes/s | %.2f |%n", result.cells(),
                    result.startMillis() / 1000.0, result.rowsPerCell(), result.idleRssKiB() / 1024, perCell, result.peakRssKiB() / 1024,
                    result.changes(), result.changesPerSecond(), result.changesPerSecond() / first.changesPerSecond()));
        }
        return md.toString();
    }

    private static String extraOptions() {
        return System.getenv().getOrDefault("BENCH_CHILD_JAVA_OPTS", "").trim();
    }

    /** The parent's handle on a {@link CellsProcess}. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private volatile boolean reported;
        private volatile int streaming;
        private volatile int failed;
        private volatile long changes;

        private Child(Process process) {
            this.process = process;
            Thread.ofPlatform().daemon().start(this::readReports);
        }

        static Child start(Path config) throws IOException {
            List<String> command = ChildPipeline.javaCommand(CellsProcess.class, config.toString());
            return new Child(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }

        void await(java.util.function.BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.getAsBoolean()) {
                if (!process.isAlive() || failed > 0 || System.nanoTime() > deadline) {
                    throw new IllegalStateException("cells pipeline " + process.pid() + " did not reach '" + what + "' within " + timeout
                            + " (streaming " + streaming + ", failed " + failed + ", changes " + changes + ")");
                }
                Thread.sleep(20);
            }
        }

        long statusKiB(String field) throws IOException {
            return ChildPipeline.statusKiB(process, field);
        }

        private void readReports() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    String[] parts = line.split(" ");
                    if (parts.length == 4 && parts[0].equals("report")) {
                        streaming = Integer.parseInt(parts[1]);
                        failed = Integer.parseInt(parts[2]);
                        changes = Long.parseLong(parts[3]);
                        reported = true;
                    }
                }
            } catch (IOException e) {
                // The process ended.
            }
        }

        @Override
        public void close() throws IOException {
            ChildPipeline.stop(process);
        }

        private static Path ownJar() {
            try {
                return Path.of(CellsBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException("cannot locate the benchmark's jar", e);
            }
        }
    }
}
