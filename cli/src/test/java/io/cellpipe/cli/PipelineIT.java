package io.cellpipe.cli;

import static io.cellpipe.cli.PipelineHarness.assertMatches;
import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static io.cellpipe.cli.PipelineHarness.catchUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.DemoSchema;
import io.cellpipe.testing.EmbeddedCell;
import io.cellpipe.testing.Workload;
import io.cellpipe.testing.WorkloadOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot then streaming from two real cells into a real DuckDB file, checked row by row. */
class PipelineIT {
    private static List<EmbeddedCell> cells;

    @BeforeAll
    static void startCells() throws Exception {
        // A tiny logical_decoding_work_mem makes PostgreSQL stream every large transaction.
        cells = List.of(EmbeddedCell.builder().setting("logical_decoding_work_mem", "64kB").start(), EmbeddedCell.start());
        for (EmbeddedCell cell : cells) {
            try (Connection connection = cell.connect()) {
                DemoSchema.create(connection);
            }
        }
    }

    @AfterAll
    static void stopCells() {
        cells.forEach(EmbeddedCell::close);
    }

    @Test
    void snapshotThenStreamMatchesTheCells(@TempDir Path dir) throws Exception {
        for (int i = 0; i < cells.size(); i++) {
            try (Connection connection = cells.get(i).connect()) {
                new Workload(connection, 100 + i, WorkloadOptions.forTests().withLargeTransactionAt(WorkloadOptions.NEVER)).run(300);
            }
        }
        PipelineConfig config = PipelineHarness.config(dir.resolve("w.duckdb"), cells);
        try (Destination destination = Assembly.destination(config.destination())) {
            try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                awaitStreaming(pipeline, "cell-2", Duration.ofSeconds(60));
                for (int i = 0; i < cells.size(); i++) {
                    try (Connection connection = cells.get(i).connect()) {
                        new Workload(connection, 200 + i, WorkloadOptions.forTests()).run(400);
                    }
                }
                schemaChangesWhileStreaming(cells.get(0));
                catchUp(pipeline, cells, Duration.ofSeconds(90));
                assertThat(pipeline.report()).allSatisfy(report -> assertThat(report.changesApplied()).isPositive());
            }
            assertMatches(destination, config);
        }
    }

    private static void schemaChangesWhileStreaming(EmbeddedCell cell) {
        cell.execute(
                "ALTER TABLE projects ADD COLUMN archived boolean DEFAULT false",
                "UPDATE projects SET archived = true WHERE id IN (SELECT id FROM projects ORDER BY id LIMIT 5)",
                "ALTER TABLE namespaces DROP COLUMN path",
                "INSERT INTO namespaces (id, name, created_at, updated_at) VALUES (987654321, 'after drop', now(), now())");
    }

    @Test
    void restartResumesFromTheCheckpointWithoutLossOrDuplicates(@TempDir Path dir) throws Exception {
        PipelineConfig config = PipelineHarness.config(dir.resolve("w.duckdb"), cells);
        try (Destination destination = Assembly.destination(config.destination())) {
            for (int round = 0; round < 3; round++) {
                try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                    pipeline.start(Assembly.sources(config));
                    awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                    awaitStreaming(pipeline, "cell-2", Duration.ofSeconds(60));
                    for (int i = 0; i < cells.size(); i++) {
                        try (Connection connection = cells.get(i).connect()) {
                            new Workload(connection, 300 + 10L * round + i, WorkloadOptions.forTests()
                                    .withLargeTransactionAt(WorkloadOptions.NEVER).withTruncateAt(WorkloadOptions.NEVER)).run(150);
                        }
                    }
                    catchUp(pipeline, cells, Duration.ofSeconds(60));
                }
                // Changes made while the pipeline is down must arrive after the restart.
                try (Connection connection = cells.get(0).connect()) {
                    new Workload(connection, 400 + round, WorkloadOptions.forTests().withLargeTransactionAt(WorkloadOptions.NEVER)
                            .withTruncateAt(WorkloadOptions.NEVER)).run(50);
                }
            }
            try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                catchUp(pipeline, cells, Duration.ofSeconds(60));
            }
            assertMatches(destination, config);
        }
    }

    @Test
    void aCellThatGoesDownDoesNotStopTheOthers(@TempDir Path dir) throws Exception {
        EmbeddedCell flaky = EmbeddedCell.start();
        List<EmbeddedCell> both = List.of(cells.get(1), flaky);
        try (Connection connection = flaky.connect()) {
            DemoSchema.create(connection);
        }
        PipelineConfig config = PipelineHarness.config(dir.resolve("w.duckdb"), both);
        try (Destination destination = Assembly.destination(config.destination())) {
            try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-2", Duration.ofSeconds(60));
                flaky.kill();
                PipelineHarness.awaitState(pipeline, "cell-2", report -> report.lastError() != null, Duration.ofSeconds(30));
                try (Connection connection = cells.get(1).connect()) {
                    new Workload(connection, 500, WorkloadOptions.forTests().withLargeTransactionAt(WorkloadOptions.NEVER)).run(100);
                }
                catchUp(pipeline, List.of(cells.get(1)), Duration.ofSeconds(60));
                CellReport down = pipeline.report().stream().filter(report -> report.cellId().equals("cell-2")).findFirst().orElseThrow();
                assertThat(down.lastError()).contains("cell-2");
                flaky.restart();
                awaitStreaming(pipeline, "cell-2", Duration.ofSeconds(60));
                catchUp(pipeline, both, Duration.ofSeconds(60));
            }
            assertMatches(destination, config);
        } finally {
            flaky.close();
        }
    }

    @Test
    void anIncompatibleTypeChangeStopsThatTableOnly(@TempDir Path dir) throws Exception {
        EmbeddedCell cell = cells.get(1);
        cell.execute("CREATE TABLE public.stop_me (id bigint PRIMARY KEY, n integer)", "INSERT INTO public.stop_me VALUES (1, 1), (2, 2)");
        try {
            PipelineConfig config = PipelineHarness.config(dir.resolve("w.duckdb"), List.of(cell));
            try (Destination destination = Assembly.destination(config.destination())) {
                try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                    pipeline.start(Assembly.sources(config));
                    awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                    cell.execute("ALTER TABLE public.stop_me ALTER COLUMN n TYPE text USING 'n' || n",
                            "INSERT INTO public.stop_me VALUES (3, 'three')");
                    try (Connection connection = cell.connect()) {
                        new Workload(connection, 600, WorkloadOptions.forTests().withLargeTransactionAt(WorkloadOptions.NEVER)).run(100);
                    }
                    catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
                    CellReport report = pipeline.report().get(0);
                    assertThat(report.stoppedTables()).containsKey("public.stop_me");
                    assertThat(report.stoppedTables().get("public.stop_me")).contains("n").contains("resnapshot");
                    assertThat(report.state()).isEqualTo(io.cellpipe.core.spi.CellState.STREAMING);
                }
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                Verification.Summary summary = new Verification(destination, config.tables(),
                        new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8)).verify(config.cells());
                String output = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
                assertThat(summary.mismatchedTables()).as(output).isEqualTo(1);
                assertThat(output).contains("cell-1 public.stop_me: STOPPED");
            }
        } finally {
            cell.execute("DROP TABLE public.stop_me");
        }
    }

    static long count(EmbeddedCell cell, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(cell.jdbcUrl()); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
