package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cells that differ in schema during a rolling upgrade: the warehouse table holds the union of
 * their columns, and a column a cell does not have (yet) is null in that cell's rows.
 */
class RollingUpgradeIT {
    private static EmbeddedCell server;

    @BeforeAll
    static void startServer() {
        server = EmbeddedCell.start();
        for (int id = 1; id <= 2; id++) {
            server.createDatabase("cell" + id);
            execute(id, "CREATE TABLE issues (id bigint PRIMARY KEY, title text NOT NULL, legacy_flag boolean)",
                    "INSERT INTO issues SELECT g, 'issue ' || g, g % 2 = 0 FROM generate_series(1, 50) g",
                    "CREATE TABLE " + CapturedCells.MARKER_TABLE + " (id int PRIMARY KEY, marked_at timestamptz NOT NULL)");
        }
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void theWarehouseHoldsTheUnionOfTheCellsColumns(@TempDir Path dir) throws Exception {
        Map<String, String> cells = CapturedCells.cells("1", server.jdbcUrl("cell1"), "2", server.jdbcUrl("cell2"));
        String yaml = CapturedCells.yaml(dir.resolve("w.duckdb"), cells, "[\"public.*\"]", "[]")
                .replace("    url: \"" + server.jdbcUrl("cell1") + "\"\n", "    url: \"" + server.jdbcUrl("cell1") + "\"\n    slot: cellpipe_test_1\n")
                .replace("    url: \"" + server.jdbcUrl("cell2") + "\"\n", "    url: \"" + server.jdbcUrl("cell2") + "\"\n    slot: cellpipe_test_2\n");
        PipelineConfig config = new ConfigLoader(System::getenv).parse("test.yml", yaml);
        try (Destination destination = Assembly.destination(config.destination());
                Pipeline pipeline = new Pipeline(destination, config.capture())) {
            pipeline.start(Assembly.sources(config));
            CapturedCells.awaitReport(pipeline, "1", report -> report.state() == CellState.STREAMING, Duration.ofSeconds(60));
            CapturedCells.awaitReport(pipeline, "2", report -> report.state() == CellState.STREAMING, Duration.ofSeconds(60));

            // cell 1 is upgraded first: a new column, and an old one dropped
            execute(1, "ALTER TABLE issues ADD COLUMN weight int", "ALTER TABLE issues DROP COLUMN legacy_flag",
                    "INSERT INTO issues SELECT g, 'new ' || g, g FROM generate_series(51, 60) g", "UPDATE issues SET weight = 3 WHERE id = 1");
            // cell 2 still runs the old schema
            execute(2, "INSERT INTO issues SELECT g, 'old ' || g, true FROM generate_series(51, 60) g", "UPDATE issues SET title = 'edited' WHERE id = 1");
            CapturedCells.catchUp(pipeline, cells, Duration.ofSeconds(60));
            // then cell 2 is upgraded, with a constant default for the rows it already has
            execute(2, "ALTER TABLE issues ADD COLUMN weight int DEFAULT 1", "ALTER TABLE issues DROP COLUMN legacy_flag",
                    "INSERT INTO issues (id, title) VALUES (61, 'after upgrade')");
            execute(1, "INSERT INTO issues (id, title) VALUES (61, 'after upgrade')");
            CapturedCells.catchUp(pipeline, cells, Duration.ofSeconds(60));

            ByteArrayOutputStream output = new ByteArrayOutputStream();
            Verification.Summary summary = new Verification(destination, config.tables(), Assembly.policies(config),
                    new PrintStream(output, true, StandardCharsets.UTF_8)).verify(config.cells());
            assertThat(summary.matches()).as("%s", output).isTrue();
        }
        WarehouseFile warehouse = new WarehouseFile(dir.resolve("w.duckdb"));
        assertThat(warehouse.rows("SELECT column_name FROM duckdb_columns() WHERE table_name = 'issues' AND column_name NOT LIKE '\\_%' ESCAPE '\\'"
                + " ORDER BY column_index")).extracting(row -> row.get("column_name")).containsExactly("id", "title", "legacy_flag", "weight");
        assertThat(warehouse.count("SELECT count(*) FROM public.issues WHERE _cell_id = '1' AND weight IS NULL")).as("cell 1: weight as at the source")
                .isEqualTo(61 - 10 - 1);
        assertThat(warehouse.count("SELECT count(*) FROM public.issues WHERE _cell_id = '2' AND weight = 1")).as("cell 2: the default, for old rows too")
                .isEqualTo(61);
        assertThat(warehouse.count("SELECT count(*) FROM public.issues WHERE _cell_id = '2' AND id = 55 AND legacy_flag")).isEqualTo(1);
    }

    private static void execute(int id, String... statements) {
        server.executeIn("cell" + id, statements);
    }
}
