package io.cellpipe.bench;

import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.duckdb.DuckDbDestination;
import io.cellpipe.duckdb.DuckDbOptions;
import io.cellpipe.postgres.PostgresSource;
import io.cellpipe.postgres.PostgresSourceOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A one-cell, one-table pipeline into its own DuckDB file, wired as the CLI wires it ({@code Assembly} is not
 * public) and with the default capture settings: the benchmark measures what a user gets, not a tuned variant.
 */
final class PipelineSetup {
    static final String CELL_ID = "cell-1";

    private PipelineSetup() {
    }

    static String yaml(String pipeline, String cellUrl, String table, Path directory) {
        return "pipeline: " + pipeline + "\n"
                + "cells:\n  - id: " + CELL_ID + "\n    url: \"" + cellUrl + "\"\n"
                + "tables:\n  include: [\"public." + table + "\"]\n"
                + "destination:\n  duckdb:\n    path: \"" + directory.resolve(pipeline + ".duckdb") + "\"\n"
                + "capture:\n  spill_directory: \"" + directory.resolve(pipeline + "-spill") + "\"\n";
    }

    static PipelineConfig config(String yaml) {
        return new ConfigLoader(System::getenv).parse("bench.yml", yaml);
    }

    /** A configuration whose relative paths (a cell registry) are relative to {@code fileName}. */
    static PipelineConfig config(String fileName, String yaml) {
        return new ConfigLoader(System::getenv).parse(fileName, yaml);
    }

    static Destination destination(PipelineConfig config) {
        if (!config.destination().type().equals("duckdb")) {
            throw new IllegalArgumentException("the benchmark supports the duckdb destination only, not " + config.destination().type());
        }
        return new DuckDbDestination(DuckDbOptions.from(config.destination().options()));
    }

    static List<PostgresSource> sources(PipelineConfig config) {
        return config.cells().stream().map((CellConfig cell) -> new PostgresSource(
                new PostgresSourceOptions(cell, config.pipeline(), config.tables(), config.capture()))).toList();
    }

    static CellReport report(Pipeline pipeline) {
        return pipeline.report().stream().filter(report -> report.cellId().equals(CELL_ID)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the pipeline runs no cell " + CELL_ID));
    }

    /** Polls every {@code pollMillis} until the condition holds; fails with the cell's report after the timeout. */
    static CellReport await(Pipeline pipeline, Predicate<CellReport> condition, Duration timeout, long pollMillis, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            CellReport report = report(pipeline);
            if (condition.test(report)) {
                return report;
            }
            if (report.state() == CellState.FAILED || System.nanoTime() > deadline) {
                throw new IllegalStateException("cellpipe did not reach '" + what + "' within " + timeout + ": " + report);
            }
            Thread.sleep(pollMillis);
        }
    }

    static CellReport awaitStreaming(Pipeline pipeline, Duration timeout) throws InterruptedException {
        return await(pipeline, report -> report.state() == CellState.STREAMING, timeout, 20, "streaming");
    }

    static CellReport awaitApplied(Pipeline pipeline, Lsn past, Duration timeout) throws InterruptedException {
        return await(pipeline, report -> report.appliedLsn().isAfter(past), timeout, 10, "applied past " + past);
    }

    /**
     * Commits a one-row update of {@code table} and returns the WAL position read just before it: once a consumer
     * has seen a commit past that position, it has seen everything committed earlier.
     */
    static Lsn marker(String url, String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            Lsn before = currentLsn(statement);
            statement.executeUpdate("UPDATE " + table + " SET updated_at = now() WHERE id = (SELECT max(id) FROM " + table + ")");
            return before;
        }
    }

    static Lsn currentLsn(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rows.next();
            return Lsn.parse(rows.getString(1));
        }
    }
}
