package io.cellpipe.cli;

import static io.cellpipe.cli.CapturedCells.awaitReport;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.alert.Alerts;
import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.pipeline.RegistryWatcher;
import io.cellpipe.core.pipeline.Supervisor;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cells from a Topology Service registry file, edited while the pipeline streams: a cell added to
 * the file is snapshotted and streamed without a restart, a malformed edit is rejected and the
 * running cells are kept, a removed cell is drained and stopped with its slot kept. Each cell is a
 * database of one PostgreSQL server.
 */
class RegistryIT {
    private static EmbeddedCell server;

    @BeforeAll
    static void startServer() {
        server = EmbeddedCell.start();
        for (int id = 1; id <= 3; id++) {
            server.createDatabase("cell" + id);
            execute(id, "CREATE TABLE items (id bigint PRIMARY KEY, note text NOT NULL)",
                    "INSERT INTO items SELECT g, 'before ' || g FROM generate_series(" + base(id) + " + 1, " + base(id) + " + 200) g",
                    "CREATE TABLE " + CapturedCells.MARKER_TABLE + " (id int PRIMARY KEY, marked_at timestamptz NOT NULL)");
        }
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void cellsJoinAndLeaveWhileStreaming(@TempDir Path dir) throws Exception {
        Path registry = dir.resolve("cells.toml");
        Files.writeString(registry, registry(1, 2));
        PipelineConfig config = new ConfigLoader(System::getenv).parse(dir.resolve("cellpipe.yml").toString(), """
                pipeline: test
                cells:
                  registry: cells.toml
                  dsn: "jdbc:postgresql://{address}/cell{id}?user=postgres"
                  slot: "cellpipe_test_{id}"
                  watch_interval: 200ms
                destination:
                  duckdb:
                    path: "%s"
                capture:
                  heartbeat_interval: 1s
                  retry_initial: 1s
                  retry_max: 2s
                """.formatted(dir.resolve("w.duckdb")));
        assertThat(config.cells()).extracting(CellConfig::id).containsExactly("1", "2");

        try (Destination destination = Assembly.destination(config.destination());
                Pipeline pipeline = new Pipeline(destination, config.capture())) {
            pipeline.start(List.of());
            Supervisor supervisor = new Supervisor(pipeline, Assembly.cells(config), Duration.ofSeconds(60));
            supervisor.reconcile(config.cells());
            Alerts alerts = new Alerts();
            try (RegistryWatcher watcher = RegistryWatcher.start(config.registry().orElseThrow(), supervisor, alerts)) {
                awaitStreaming(pipeline, "1");
                awaitStreaming(pipeline, "2");
                write(1, 10);
                write(2, 10);

                long joining = System.nanoTime();
                Files.writeString(registry, registry(1, 2, 3));
                awaitStreaming(pipeline, "3");
                Duration joined = Duration.ofNanos(System.nanoTime() - joining);
                assertThat(joined).as("a new cell streams within seconds").isLessThan(Duration.ofSeconds(30));
                write(3, 10);
                CapturedCells.catchUp(pipeline, urls("1", "2", "3"), Duration.ofSeconds(60));

                String overlapping = registry(1, 2, 3).replace("minval = " + (base(3) + 1), "minval = " + (base(2) + 5));
                Files.writeString(registry, overlapping);
                awaitRejection(watcher, "sequence ranges overlap: cell 2 has");
                assertThat(alerts.firing()).singleElement().satisfies(alert -> {
                    assertThat(alert.kind()).isEqualTo(RegistryWatcher.REGISTRY_REJECTED);
                    assertThat(alert.text()).contains("sequence ranges overlap", "keeping the 3 running cells");
                });
                assertThat(supervisor.cells()).extracting(CellConfig::id).containsExactly("1", "2", "3");
                Files.writeString(registry, "[[cells]\nid = 1");
                awaitRejection(watcher, "is not valid TOML");
                assertThat(pipeline.report()).extracting(report -> report.cellId()).containsExactly("1", "2", "3");
                write(2, 5);
                CapturedCells.catchUp(pipeline, urls("1", "2", "3"), Duration.ofSeconds(60));

                Files.writeString(registry, registry(1, 3));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (pipeline.report().size() != 2 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(pipeline.report()).extracting(report -> report.cellId()).containsExactly("1", "3");
                assertThat(watcher.rejection()).isEmpty();
                assertThat(alerts.firing()).as("resolved once the file is good again").isEmpty();
                write(1, 10);
                write(2, 10); // not captured any more: cell 2 left
                write(3, 10);
                CapturedCells.catchUp(pipeline, urls("1", "3"), Duration.ofSeconds(60));
            }
            pipeline.stop(Duration.ofSeconds(60));

            assertThat(count(2, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'cellpipe_test_2'"))
                    .as("a removed cell's slot is kept (cells.on_remove: keep_slot)").isEqualTo(1);
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            Verification.Summary summary = new Verification(destination, config.tables(), Assembly.policies(config),
                    new PrintStream(output, true, StandardCharsets.UTF_8)).verify(supervisor.cells());
            assertThat(summary.matches()).as("%s", output).isTrue();
        }
        WarehouseFile warehouse = new WarehouseFile(dir.resolve("w.duckdb"));
        assertThat(warehouseCount(warehouse, "2")).as("cell 2's rows up to its removal").isEqualTo(200 + 10 + 5);
        assertThat(warehouseCount(warehouse, "1")).isEqualTo(200 + 20);
        assertThat(warehouseCount(warehouse, "3")).isEqualTo(200 + 20);
    }

    private static String registry(int... ids) {
        StringBuilder toml = new StringBuilder();
        for (int id : ids) {
            toml.append("[[cells]]\nid = ").append(id).append("\naddress = \"127.0.0.1:").append(server.port()).append("\"\n")
                    .append("[[cells.sequence_ranges]]\nminval = ").append(base(id) + 1).append("\nmaxval = ").append(base(id) + 1_000_000)
                    .append("\n\n");
        }
        return toml.toString();
    }

    private static long base(int id) {
        return id * 1_000_000L;
    }

    private static Map<String, String> urls(String... ids) {
        Map<String, String> urls = new LinkedHashMap<>();
        for (String id : ids) {
            urls.put(id, server.jdbcUrl("cell" + id));
        }
        return urls;
    }

    private static final Map<Integer, Long> next = new java.util.concurrent.ConcurrentHashMap<>();

    private static void write(int id, int rows) {
        long first = next.merge(id, (long) rows, Long::sum) - rows + base(id) + 201;
        execute(id, "INSERT INTO items SELECT g, 'streamed ' || g FROM generate_series(" + first + ", " + (first + rows - 1) + ") g",
                "UPDATE items SET note = note || ' (updated)' WHERE id = " + (base(id) + 1));
    }

    private static void execute(int id, String... statements) {
        server.executeIn("cell" + id, statements);
    }

    private static long count(int id, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("cell" + id)); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static long warehouseCount(WarehouseFile warehouse, String cell) {
        return warehouse.count("SELECT count(*) FROM public.items WHERE _cell_id = '" + cell + "' AND NOT _deleted");
    }

    private static void awaitStreaming(Pipeline pipeline, String cell) throws InterruptedException {
        awaitReport(pipeline, cell, report -> report.state() == CellState.STREAMING, Duration.ofSeconds(60));
    }

    private static void awaitRejection(RegistryWatcher watcher, String reason) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (watcher.rejection().filter(text -> text.contains(reason)).isPresent()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the registry edit was not rejected with '" + reason + "': " + watcher.rejection());
    }
}
