package io.cellpipe.cli;

import ch.qos.logback.classic.Level;
import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.DemoSchema;
import io.cellpipe.testing.EmbeddedCell;
import io.cellpipe.testing.Workload;
import io.cellpipe.testing.WorkloadOptions;
import io.cellpipe.testing.WorkloadStats;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts local PostgreSQL cells, runs a mixed workload on all of them while streaming into a DuckDB
 * file, then verifies the warehouse against every cell.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start local PostgreSQL cells, stream a workload into DuckDB, and verify the result.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--cells", defaultValue = "3", description = "Number of cells (default ${DEFAULT-VALUE}).")
    int cells;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long the workload runs (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warehouse", defaultValue = "demo.duckdb", description = "DuckDB file to create (default ${DEFAULT-VALUE}).")
    Path warehouse;

    @Option(names = "--keep", description = "Leave the cells running afterwards and print their URLs.")
    boolean keep;

    @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--verbose", description = "Show the pipeline's log, not only progress.")
    boolean verbose;

    /** Rows that exist before the pipeline starts, so the snapshot has something to copy. */
    private static final WorkloadOptions PRELOAD = new WorkloadOptions(0, 1, WorkloadOptions.NEVER, WorkloadOptions.NEVER, WorkloadOptions.NEVER);
    private static final int OPERATIONS_PER_SECOND = 100;

    private final PrintStream out = System.out;

    /** The one-off operations land inside the run whatever its length: truncate at 10 %, migration at 30 %, large transaction at 50 %. */
    private WorkloadOptions workloadOptions() {
        long operations = OPERATIONS_PER_SECOND * Math.max(1, duration.toSeconds());
        return new WorkloadOptions(OPERATIONS_PER_SECOND, 50_000, operations / 10, operations * 3 / 10, operations / 2);
    }

    @Override
    public Integer call() throws Exception {
        if (cells < 1 || cells > 50) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--cells must be between 1 and 50");
        }
        if (!verbose) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.cellpipe")).setLevel(Level.WARN);
        }
        List<EmbeddedCell> started = startCells();
        try {
            return run(started);
        } finally {
            if (keep) {
                out.println("demo: cells left running (Ctrl-C to stop them):");
                for (int i = 0; i < started.size(); i++) {
                    out.println("  cell-" + (i + 1) + "  " + started.get(i).jdbcUrl());
                }
                new CountDownLatch(1).await();
            }
            started.forEach(EmbeddedCell::close);
        }
    }

    private int run(List<EmbeddedCell> started) throws Exception {
        for (EmbeddedCell cell : started) {
            try (Connection connection = cell.connect()) {
                DemoSchema.create(connection);
                new Workload(connection, seed + cell.port(), PRELOAD).run(500);
            }
        }
        Files.deleteIfExists(warehouse);
        Files.deleteIfExists(Path.of(warehouse + ".wal"));
        PipelineConfig config = new ConfigLoader(System::getenv).parse("demo", yaml(started));
        try (Destination destination = Assembly.destination(config.destination())) {
            Map<String, Lsn> marks;
            Map<String, WorkloadStats> stats;
            long changes;
            try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                out.println("demo: streaming " + started.size() + " cells into " + warehouse + " for " + duration.toSeconds() + "s");
                stats = runWorkloads(started, pipeline);
                marks = new LinkedHashMap<>();
                for (int i = 0; i < started.size(); i++) {
                    marks.put("cell-" + (i + 1), CatchUp.mark(started.get(i).jdbcUrl(),
                            "UPDATE application_settings SET updated_at = now() WHERE id = (SELECT min(id) FROM application_settings)"));
                }
                out.println("demo: workload done; waiting for the warehouse to catch up");
                if (!CatchUp.await(pipeline, marks, Duration.ofMinutes(3))) {
                    printProgress(pipeline);
                    out.println("demo: the warehouse did not catch up within 3 minutes");
                    return 1;
                }
                changes = pipeline.report().stream().mapToLong(CellReport::changesApplied).sum();
            }
            out.println("demo: workload: " + stats.values().stream().mapToLong(WorkloadStats::inserts).sum() + " inserts, "
                    + stats.values().stream().mapToLong(WorkloadStats::updates).sum() + " updates, "
                    + stats.values().stream().mapToLong(WorkloadStats::deletes).sum() + " deletes, "
                    + stats.values().stream().mapToLong(WorkloadStats::truncates).sum() + " truncates in "
                    + stats.values().stream().mapToLong(WorkloadStats::transactions).sum() + " transactions");
            Verification.Summary summary = new Verification(destination, config.tables(), Assembly.policies(config), out).verify(config.cells());
            if (summary.matches()) {
                out.println("demo: verified " + summary.cells() + " cells, " + summary.tables() / Math.max(1, summary.cells()) + " tables, "
                        + changes + " changes — warehouse matches sources");
                return 0;
            }
            out.println("demo: MISMATCH: " + summary.mismatchedTables() + " tables differ, " + summary.failedCells()
                    + " cells could not be read (see above)");
            return 1;
        }
    }

    private List<EmbeddedCell> startCells() throws Exception {
        out.println("demo: starting " + cells + " PostgreSQL " + EmbeddedCell.BUNDLED_MAJOR_VERSION + " cells");
        ExecutorService executor = Executors.newFixedThreadPool(Math.min(cells, 4));
        try {
            List<Future<EmbeddedCell>> futures = new ArrayList<>();
            for (int i = 0; i < cells; i++) {
                futures.add(executor.submit(() -> EmbeddedCell.start()));
            }
            List<EmbeddedCell> started = new ArrayList<>();
            for (Future<EmbeddedCell> future : futures) {
                started.add(future.get());
            }
            return started;
        } finally {
            executor.shutdown();
        }
    }

    private Map<String, WorkloadStats> runWorkloads(List<EmbeddedCell> started, Pipeline pipeline) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(started.size());
        try {
            Map<String, Future<WorkloadStats>> futures = new LinkedHashMap<>();
            for (int i = 0; i < started.size(); i++) {
                EmbeddedCell cell = started.get(i);
                long cellSeed = seed * 31 + i;
                futures.put("cell-" + (i + 1), executor.submit(() -> {
                    try (Connection connection = cell.connect()) {
                        return new Workload(connection, cellSeed, workloadOptions()).run(duration);
                    }
                }));
            }
            long next = System.nanoTime();
            while (futures.values().stream().anyMatch(future -> !future.isDone())) {
                Thread.sleep(200);
                if (System.nanoTime() >= next) {
                    printProgress(pipeline);
                    next = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                }
            }
            Map<String, WorkloadStats> stats = new LinkedHashMap<>();
            for (Map.Entry<String, Future<WorkloadStats>> entry : futures.entrySet()) {
                stats.put(entry.getKey(), entry.getValue().get());
            }
            return stats;
        } finally {
            executor.shutdown();
        }
    }

    private void printProgress(Pipeline pipeline) {
        for (CellReport report : pipeline.report()) {
            out.println("  " + ProgressLine.of(report));
        }
    }

    private String yaml(List<EmbeddedCell> started) {
        StringBuilder yaml = new StringBuilder("pipeline: demo\ncells:\n");
        for (int i = 0; i < started.size(); i++) {
            yaml.append("  - id: cell-").append(i + 1).append("\n    url: \"").append(started.get(i).jdbcUrl()).append("\"\n");
        }
        yaml.append("tables:\n  include: [\"public.*\"]\n  exclude: [\"public.schema_migrations\"]\n");
        yaml.append("destination:\n  duckdb:\n    path: \"").append(warehouse.toString().replace("\"", "\\\"")).append("\"\n");
        yaml.append("capture:\n  heartbeat_interval: 2s\n");
        return yaml.toString();
    }
}
