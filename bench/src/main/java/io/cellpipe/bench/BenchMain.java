package io.cellpipe.bench;

import io.cellpipe.testing.EmbeddedCell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Runs the benchmark against one real PostgreSQL cell: streaming and snapshot throughput against raw baselines and Debezium
 * measured in the same run, latency at a steady rate, and the peak memory of a pipeline JVM. See docs/BENCHMARKS.md.
 */
public final class BenchMain {
    private static final String CHART = "bench-throughput.png";

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        String loadAtStart = MachineInfo.loadAverage();
        Path directory = Files.createTempDirectory("cellpipe-bench");
        if (!options.cells().isEmpty()) {
            try {
                cells(options, directory);
            } finally {
                deleteRecursively(directory);
            }
            return;
        }
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            MachineInfo machine;
            int protocolVersion;
            try (Connection connection = cell.connect()) {
                machine = MachineInfo.read(connection);
                protocolVersion = connection.getMetaData().getDatabaseMajorVersion() >= 16 ? 4 : 3;
            }
            Phases.log("%s cell started; %s run, phases %s", machine.postgres(), options.quick() ? "--quick" : "full", options.phases());
            Phases phases = new Phases(cell, directory, protocolVersion, options.debezium());
            Phases.Streaming streaming = options.phases().contains("streaming") ? phases.streaming(options.streamTransactions()) : null;
            Phases.Snapshot snapshot = options.phases().contains("snapshot") ? phases.snapshot(options.snapshotRows()) : null;
            Phases.Latency latency = options.phases().contains("latency")
                    ? phases.latency(options.latencyRate(), options.latencyWarmUp(), options.latencyDuration()) : null;
            Phases.Memory memory = options.phases().contains("memory") ? phases.memory(options.largeTransactionRows()) : null;
            String loadAtEnd = MachineInfo.loadAverage();
            boolean publish = options.report() != null && options.allPhases();
            String chart = publish ? writeChart(options, machine, streaming, snapshot) : null;
            ResultTable table = new ResultTable(options, machine, loadAtStart, loadAtEnd, streaming, snapshot, latency, memory, chart);
            System.out.println();
            System.out.println(table.markdown());
            if (publish) {
                table.writeInto(options.report());
                Phases.log("results written to %s", options.report());
            }
        } finally {
            deleteRecursively(directory);
        }
    }

    /**
     * The throughput chart next to the report page; returns its file name, or null (and says why) when it could not
     * be drawn, e.g. on a JDK without fonts: the table is what matters.
     */
    private static String writeChart(BenchOptions options, MachineInfo machine, Phases.Streaming streaming, Phases.Snapshot snapshot) {
        Path file = options.report().toAbsolutePath().resolveSibling(CHART);
        String subtitle = (options.quick() ? "--quick run, " : "full run, ") + java.time.LocalDate.now() + "; " + machine.processors() + " CPUs, "
                + machine.postgres() + "; one embedded cell";
        try {
            ThroughputChart.write(file, subtitle, ThroughputChart.panels(streaming, snapshot));
            Phases.log("chart written to %s", file);
            return CHART;
        } catch (IOException | RuntimeException | LinkageError | java.awt.AWTError e) {
            Phases.log("no chart: %s", e);
            return null;
        }
    }

    /** {@code --cells}: one process over 1, 10, 50 ... cells (a separate table of docs/BENCHMARKS.md). */
    private static void cells(BenchOptions options, Path directory) throws Exception {
        MachineInfo machine;
        try (EmbeddedCell cell = EmbeddedCell.start(); Connection connection = cell.connect()) {
            machine = MachineInfo.read(connection);
        }
        CellsBench bench = new CellsBench(directory, options.quick() ? 1_000 : 10_000, options.quick() ? 500 : 2_000);
        String markdown = CellsBench.markdown(bench.run(options.cells()), options.command(), machine);
        System.out.println();
        System.out.println(markdown);
        if (options.report() != null) {
            CellsBench.writeInto(options.report(), markdown);
            Phases.log("results written to %s", options.report());
        }
    }

    static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
