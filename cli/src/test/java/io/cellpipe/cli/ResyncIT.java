package io.cellpipe.cli;

import static io.cellpipe.cli.PipelineHarness.assertMatches;
import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static io.cellpipe.cli.PipelineHarness.catchUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.alert.Alerts;
import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.MonitoringConfig;
import io.cellpipe.core.model.KeyRange;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.Resync;
import io.cellpipe.testing.BackgroundWorkload;
import io.cellpipe.testing.DemoSchema;
import io.cellpipe.testing.EmbeddedCell;
import io.cellpipe.testing.Workload;
import io.cellpipe.testing.WorkloadOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resync re-reads a table while a heavy workload keeps changing it, and repairs what the warehouse
 * got wrong (a changed value, a missing row, a row the cell deleted) without losing any of the
 * workload's updates: afterwards the warehouse equals the cell.
 */
class ResyncIT {
    static final String ADMIN_TOKEN = "resync-test-token-0123456789abcdef";
    private static final WorkloadOptions HEAVY = WorkloadOptions.forTests().withLargeTransactionAt(WorkloadOptions.NEVER);

    @Test
    void resyncDuringAHeavyWorkloadRepairsTheWarehouseAndLosesNoUpdate(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            try (Connection connection = cell.connect()) {
                DemoSchema.create(connection);
                new Workload(connection, 1, HEAVY).run(400);
            }
            Path warehouse = dir.resolve("w.duckdb");
            PipelineConfig config = new ConfigLoader(System::getenv).parse("test.yml",
                    PipelineHarness.yaml(warehouse, List.of(cell), "monitoring:\n  listen: 127.0.0.1:0\n  admin_token: " + ADMIN_TOKEN + "\n"));
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
            }
            corrupt(warehouse);

            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                try (Alerts alerts = Assembly.alerts(config);
                        PipelineWatch watch = Assembly.watch(config, pipeline, alerts);
                        MonitoringServer monitoring = Assembly.monitoring(config, pipeline, watch);
                        Connection writer = cell.connect()) {
                    monitoring.route("/resync", new ResyncEndpoint(destination, config));
                    BackgroundWorkload workload = new Workload(writer, 2, HEAVY).startInBackground();
                    StringWriter output = new StringWriter();
                    Resync request = ResyncCommand.request(config, "cell-1", "public.merge_requests", null, 20);
                    int exit = new RemoteResync(new MonitoringConfig("127.0.0.1", monitoring.port(), ADMIN_TOKEN), new PrintWriter(output, true))
                            .run(request, Duration.ofSeconds(120)).orElseThrow();
                    assertThat(workload.isRunning()).as("the workload ran during the whole resync").isTrue();
                    workload.stop();
                    assertThat(exit).as("resync output:%n%s", output).isZero();
                    assertThat(output.toString()).contains("resync: done");
                }
                catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
                Resync done = destination.resyncs().get(0);
                assertThat(done.state()).isEqualTo(Resync.State.DONE);
                assertThat(done.rowsDone()).isPositive();
                assertMatches(destination, config);
            }
        }
    }

    @Test
    void resyncWithoutARunningPipelineRunsItAndHonoursTheKeyRange(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            try (Connection connection = cell.connect()) {
                DemoSchema.create(connection);
                new Workload(connection, 3, HEAVY).run(200);
            }
            Path warehouse = dir.resolve("w.duckdb");
            PipelineConfig config = PipelineHarness.config(warehouse, List.of(cell));
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
            }
            corrupt(warehouse);
            WarehouseFile file = new WarehouseFile(warehouse);
            long fakeId = file.count("SELECT max(id) FROM public.merge_requests WHERE NOT _deleted");
            try (Destination destination = Assembly.destination(config.destination())) {
                StringWriter output = new StringWriter();
                // only the fake row's range: the other corruption stays, which verify then shows
                Resync request = ResyncCommand.request(config, "cell-1", "public.merge_requests",
                        new KeyRange(List.of("100000001"), null), 7);
                destination.requestResync(request);
                int exit = LocalResync.run(config, destination, List.of(request), new PrintWriter(output, true), Duration.ofSeconds(120));
                assertThat(exit).as("resync output:%n%s", output).isZero();
            }
            assertThat(file.count("SELECT count(*) FROM public.merge_requests WHERE id = " + fakeId + " AND _deleted")).isEqualTo(1);
            assertThat(file.count("SELECT count(*) FROM _cellpipe.changes WHERE op = 'd' AND table_name = 'public.merge_requests'"
                    + " AND json_extract_string(\"key\", '$.id') = '" + fakeId + "'")).isEqualTo(1);
        }
    }

    @Test
    void aResyncStoppedMidwayResumesAfterItsLastLoadedChunk(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            try (Connection connection = cell.connect()) {
                DemoSchema.create(connection);
            }
            // enough chunks that the resync cannot finish while the pipeline drains after the first 300 rows (~200 chunks/s here)
            cell.execute("INSERT INTO plans (name, title) SELECT 'plan-' || i, 'Plan ' || i FROM generate_series(1, 20000) i");
            Path warehouse = dir.resolve("w.duckdb");
            PipelineConfig config = PipelineHarness.config(warehouse, List.of(cell));
            try (Destination destination = Assembly.destination(config.destination())) {
                try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                    pipeline.start(Assembly.sources(config));
                    awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                    destination.requestResync(ResyncCommand.request(config, "cell-1", "public.plans", null, 10));
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (destination.resyncs().get(0).rowsDone() < 300 && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                }
                Resync stopped = destination.resyncs().get(0);
                assertThat(stopped.state()).as("%s", stopped).isEqualTo(Resync.State.RUNNING);
                assertThat(stopped.rowsDone()).isBetween(300L, 19_990L);
                assertThat(stopped.lastKey()).isEqualTo("[\"" + stopped.rowsDone() + "\"]");
                cell.execute("UPDATE plans SET title = 'changed while stopped' WHERE id % 3 = 0", "DELETE FROM plans WHERE id % 13 = 0");
                try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                    pipeline.start(Assembly.sources(config));
                    NewTablesIT.awaitResyncsDone(destination, Duration.ofSeconds(120));
                    catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
                }
                Resync done = destination.resyncs().get(0);
                long after;
                try (Connection connection = cell.connect(); Statement statement = connection.createStatement();
                        java.sql.ResultSet rows = statement.executeQuery("SELECT count(*) FROM plans WHERE id > " + stopped.rowsDone())) {
                    rows.next();
                    after = rows.getLong(1);
                }
                // it went on after its last loaded chunk: the rows before it were not read again
                assertThat(done.rowsDone()).isEqualTo(stopped.rowsDone() + after);
                assertMatches(destination, config);
            }
        }
    }

    /** A stopped table's rows are not applied, so a resync of it would only mark them deleted: it is refused instead. */
    @Test
    void aResyncOfAStoppedTableFailsAndDeletesNothing(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            cell.execute("CREATE TABLE public.stop_me (id bigint PRIMARY KEY, n integer)",
                    "INSERT INTO public.stop_me SELECT i, i FROM generate_series(1, 50) i");
            Path warehouse = dir.resolve("w.duckdb");
            PipelineConfig config = PipelineHarness.config(warehouse, List.of(cell));
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                cell.execute("ALTER TABLE public.stop_me ALTER COLUMN n TYPE text USING 'n' || n",
                        "INSERT INTO public.stop_me VALUES (51, 'fifty-one')");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!destination.stoppedTables().getOrDefault("cell-1", java.util.Map.of()).containsKey("public.stop_me")
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(destination.stoppedTables().get("cell-1")).containsKey("public.stop_me");
                destination.requestResync(ResyncCommand.request(config, "cell-1", "public.stop_me", null, 10));
                Resync failed = PipelineHarness.awaitResyncFinished(destination, 0, Duration.ofSeconds(60));
                assertThat(failed.state()).as("%s", failed).isEqualTo(Resync.State.FAILED);
                assertThat(failed.detail()).contains("is stopped").contains("--resnapshot cell-1");
            }
            WarehouseFile file = new WarehouseFile(warehouse);
            assertThat(file.count("SELECT count(*) FROM public.stop_me WHERE _deleted")).isZero();
            assertThat(file.count("SELECT count(*) FROM public.stop_me")).isEqualTo(50);
        }
    }

    @Test
    void aResyncReadsOnlyTheRowsARowFilterAdmits(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            try (Connection connection = cell.connect()) {
                DemoSchema.create(connection);
            }
            cell.execute("INSERT INTO plans (name, title) SELECT 'plan-' || i, 'Plan ' || i FROM generate_series(1, 200) i");
            Path warehouse = dir.resolve("w.duckdb");
            PipelineConfig config = new ConfigLoader(System::getenv).parse("test.yml", PipelineHarness.yaml(warehouse, List.of(cell),
                    "privacy:\n  row_filters:\n    \"public.plans\": { where: \"id % 2 = 0\" }\n"));
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
            }
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + warehouse.toAbsolutePath());
                    Statement statement = connection.createStatement()) {
                // a row the filter does not admit, live in the warehouse, and an admitted one missing
                statement.execute("INSERT INTO public.plans SELECT * REPLACE (id + 1 AS id) FROM public.plans WHERE id = 10");
                statement.execute("DELETE FROM public.plans WHERE id = 20");
            }
            try (Destination destination = Assembly.destination(config.destination())) {
                Resync request = ResyncCommand.request(config, "cell-1", "public.plans", null, 30);
                destination.requestResync(request);
                assertThat(LocalResync.run(config, destination, List.of(request), new PrintWriter(new StringWriter(), true),
                        Duration.ofSeconds(120))).isZero();
                assertMatches(destination, config);
            }
            WarehouseFile file = new WarehouseFile(warehouse);
            assertThat(file.count("SELECT count(*) FROM public.plans WHERE id % 2 = 1 AND NOT _deleted")).isZero();
            long admitted;
            try (Connection connection = cell.connect(); Statement statement = connection.createStatement();
                    java.sql.ResultSet rows = statement.executeQuery("SELECT count(*) FROM plans WHERE id % 2 = 0")) {
                rows.next();
                admitted = rows.getLong(1);
            }
            assertThat(file.count("SELECT count(*) FROM public.plans WHERE NOT _deleted")).isEqualTo(admitted);
            assertThat(file.count("SELECT count(*) FROM _cellpipe.changes WHERE table_name = 'public.plans' AND op = 'r'"
                    + " AND CAST(json_extract_string(\"key\", '$.id') AS BIGINT) % 2 = 1")).as("rows outside the filter are never read").isZero();
        }
    }

    /** A changed value, a missing row and a row the cell no longer has (live, with an id the cell never used). */
    static void corrupt(Path warehouse) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + warehouse.toAbsolutePath());
                Statement statement = connection.createStatement()) {
            statement.execute("UPDATE public.merge_requests SET title = 'corrupted' WHERE id = (SELECT min(id) FROM public.merge_requests WHERE NOT _deleted)");
            statement.execute("DELETE FROM public.merge_requests WHERE id = (SELECT max(id) FROM public.merge_requests WHERE NOT _deleted)");
            statement.execute("INSERT INTO public.merge_requests SELECT * REPLACE (id + 100000000 AS id) FROM public.merge_requests"
                    + " WHERE id = (SELECT min(id) FROM public.merge_requests WHERE NOT _deleted)");
        }
    }
}
