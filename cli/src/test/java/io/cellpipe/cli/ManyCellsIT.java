package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.pipeline.Supervisor;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fifty cells from one registry in one process: each is snapshotted, streams, and matches its
 * source. The cells are databases spread over two PostgreSQL servers, each with its own slot.
 */
class ManyCellsIT {
    private static final int CELLS = 50;
    private static final List<EmbeddedCell> servers = new ArrayList<>();

    @BeforeAll
    static void startServers() {
        for (int i = 0; i < 2; i++) {
            servers.add(EmbeddedCell.builder().setting("max_replication_slots", "40").setting("max_wal_senders", "40")
                    .setting("max_connections", "200").setting("shared_buffers", "32MB").start());
        }
        for (int id = 1; id <= CELLS; id++) {
            server(id).createDatabase("cell" + id);
            execute(id, "CREATE TABLE items (id bigint PRIMARY KEY, note text NOT NULL, amount numeric(12,2), created_at timestamptz NOT NULL)",
                    "INSERT INTO items SELECT g, 'cell " + id + " item ' || g, g * 1.5, now() FROM generate_series(1, 100) g",
                    "CREATE TABLE " + CapturedCells.MARKER_TABLE + " (id int PRIMARY KEY, marked_at timestamptz NOT NULL)");
        }
    }

    @AfterAll
    static void stopServers() {
        servers.forEach(EmbeddedCell::close);
    }

    @Test
    void fiftyCellsSnapshotStreamAndMatch(@TempDir Path dir) throws Exception {
        StringBuilder toml = new StringBuilder();
        for (int id = 1; id <= CELLS; id++) {
            toml.append("[[cells]]\nid = ").append(id).append("\naddress = \"127.0.0.1:").append(server(id).port()).append("\"\n\n");
        }
        Files.writeString(dir.resolve("cells.toml"), toml);
        PipelineConfig config = new ConfigLoader(System::getenv).parse(dir.resolve("cellpipe.yml").toString(), """
                pipeline: test
                cells:
                  registry: cells.toml
                  dsn: "jdbc:postgresql://{address}/cell{id}?user=postgres"
                  slot: "cellpipe_test_{id}"
                destination:
                  duckdb:
                    path: "%s"
                capture:
                  heartbeat_interval: 5s
                  snapshot_parallelism: 1
                  retry_initial: 1s
                  retry_max: 2s
                """.formatted(dir.resolve("w.duckdb")));
        assertThat(config.cells()).hasSize(CELLS);

        try (Destination destination = Assembly.destination(config.destination());
                Pipeline pipeline = new Pipeline(destination, config.capture())) {
            pipeline.start(List.of());
            Supervisor supervisor = new Supervisor(pipeline, Assembly.cells(config), Duration.ofSeconds(60));
            long started = System.nanoTime();
            supervisor.reconcile(config.cells());
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (streaming(pipeline) < CELLS && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(streaming(pipeline)).as("cells streaming: %s", pipeline.report()).isEqualTo(CELLS);
            System.out.printf("ManyCellsIT: %d cells snapshotted and streaming after %d ms%n", CELLS,
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            for (int id = 1; id <= CELLS; id++) {
                execute(id, "INSERT INTO items SELECT g, 'streamed', g, now() FROM generate_series(101, 120) g",
                        "UPDATE items SET amount = amount + 1 WHERE id <= 10", "DELETE FROM items WHERE id BETWEEN 11 AND 15");
            }
            CapturedCells.catchUp(pipeline, urls(), Duration.ofMinutes(2));
            assertThat(pipeline.report()).allSatisfy(report -> assertThat(report.lastError()).isNull());

            ByteArrayOutputStream output = new ByteArrayOutputStream();
            Verification.Summary summary = new Verification(destination, config.tables(), Assembly.policies(config),
                    new PrintStream(output, true, StandardCharsets.UTF_8)).verify(config.cells());
            assertThat(summary.matches()).as("%s", output).isTrue();
            assertThat(summary.cells()).isEqualTo(CELLS);
        }
        assertThat(new WarehouseFile(dir.resolve("w.duckdb")).count("SELECT count(*) FROM public.items WHERE NOT _deleted"))
                .isEqualTo(CELLS * 115L);
    }

    private static long streaming(Pipeline pipeline) {
        return pipeline.report().stream().map(CellReport::state).filter(state -> state == CellState.STREAMING).count();
    }

    private static EmbeddedCell server(int id) {
        return servers.get(id % servers.size());
    }

    private static Map<String, String> urls() {
        Map<String, String> urls = new LinkedHashMap<>();
        for (int id = 1; id <= CELLS; id++) {
            urls.put(String.valueOf(id), server(id).jdbcUrl("cell" + id));
        }
        return urls;
    }

    private static void execute(int id, String... statements) {
        server(id).executeIn("cell" + id, statements);
    }
}
