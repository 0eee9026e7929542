package io.cellpipe.bench;

import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.verify.RangeChecksums;
import io.cellpipe.core.verify.RangeVerifier;
import io.cellpipe.core.verify.TableComparator;
import io.cellpipe.core.verify.VerifyRow;
import io.cellpipe.postgres.PostgresRowSource;
import io.cellpipe.testing.EmbeddedCell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Iterator;

/**
 * How long {@code cellpipe verify --by-range} takes on a large table (docs/BENCHMARKS.md, "Verify by key range"):
 * fills a table of the benchmark's shape on an embedded cell, copies it into a DuckDB warehouse with the pipeline,
 * then times the range verification of the matching table, and again after three rows of the warehouse were
 * corrupted (a changed value, a missing row, and a row deleted at the cell while the pipeline was stopped). {@code --row-by-row} also times the
 * plain row-by-row comparison, for reference.
 *
 * <p>{@code java -cp bench/target/cellpipe-bench.jar io.cellpipe.bench.VerifyBench [rows] [--row-by-row]}
 */
public final class VerifyBench {
    private static final String TABLE = "verify_items";

    private VerifyBench() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 && !args[0].startsWith("--") ? Long.parseLong(args[0]) : 10_000_000L;
        boolean rowByRow = java.util.Arrays.asList(args).contains("--row-by-row");
        Path directory = Files.createTempDirectory("cellpipe-verify-bench");
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            MachineInfo machine;
            try (Connection connection = cell.connect(); Statement statement = connection.createStatement()) {
                machine = MachineInfo.read(connection);
                BenchTables.create(connection, TABLE);
                long started = System.nanoTime();
                for (long from = 1; from <= rows; from += 1_000_000) {
                    BenchTables.insertRange(connection, TABLE, from, Math.min(rows, from + 999_999));
                }
                statement.execute("VACUUM (ANALYZE) " + TABLE);
                Phases.log("verify: wrote %,d rows in %.1f s", rows, (System.nanoTime() - started) / 1e9);
            }
            PipelineConfig config = PipelineSetup.config(PipelineSetup.yaml("bench_verify", cell.jdbcUrl(), TABLE, directory));
            try (Destination destination = PipelineSetup.destination(config)) {
                long started = System.nanoTime();
                try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                    pipeline.start(PipelineSetup.sources(config));
                    PipelineSetup.awaitStreaming(pipeline, Duration.ofMinutes(60));
                }
                Phases.log("verify: copied into the warehouse in %.1f s", (System.nanoTime() - started) / 1e9);
                time("matching", config, destination, rowByRow);
            }
            corrupt(directory.resolve("bench_verify.duckdb"));
            // a delete the warehouse never got (the pipeline is stopped)
            cell.execute("DELETE FROM " + TABLE + " WHERE id = " + (rows * 9 / 10));
            try (Destination destination = PipelineSetup.destination(config)) {
                time("3 rows corrupted", config, destination, false);
            }
            System.out.printf("%nmachine: %d cores, %,d MiB, %s; %s; %s%n", machine.processors(), machine.memoryMiB(), machine.cpuModel(),
                    machine.postgres(), machine.jdk());
        } finally {
            try (var paths = Files.walk(directory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void time(String label, PipelineConfig config, Destination destination, boolean rowByRow) throws Exception {
        try (PostgresRowSource source = new PostgresRowSource(config.cells().get(0))) {
            TableSchema table = source.tables(config.tables()).get(0);
            long started = System.nanoTime();
            RangeVerifier.Result result = new RangeVerifier(100_000, 10).verify(PipelineSetup.CELL_ID, table, source,
                    (RangeChecksums) destination);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("verify --by-range, %s: %,d rows, %d ranges, %d differing, %d differences, %.1f s%n", label,
                    result.rows().sourceRows(), result.ranges(), result.differingRanges().size(), result.rows().differenceCount(), seconds);
            if (rowByRow) {
                started = System.nanoTime();
                Iterator<VerifyRow> left = source.scan(PipelineSetup.CELL_ID, table);
                Iterator<VerifyRow> right = destination.scan(PipelineSetup.CELL_ID, table);
                TableComparator.Result rows = new TableComparator(10).compare(PipelineSetup.CELL_ID, table, left, right);
                System.out.printf("verify (row by row), %s: %,d rows, %d differences, %.1f s%n", label, rows.sourceRows(),
                        rows.differenceCount(), (System.nanoTime() - started) / 1e9);
            }
        }
    }

    private static void corrupt(Path warehouse) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + warehouse.toAbsolutePath());
                Statement statement = connection.createStatement()) {
            statement.execute("UPDATE public." + TABLE + " SET name = 'corrupted' WHERE id = 4242");
            statement.execute("DELETE FROM public." + TABLE + " WHERE id = (SELECT max(id) / 2 FROM public." + TABLE + ")");
        }
    }
}
