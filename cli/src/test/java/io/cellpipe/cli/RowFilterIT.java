package io.cellpipe.cli;

import static io.cellpipe.cli.PipelineHarness.assertMatches;
import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row filters limit tables to some of their rows, in the snapshot and in the stream: a values file
 * on a key column and a SQL predicate on a REPLICA IDENTITY FULL table go into the publication on
 * PostgreSQL 15+; a values file on another column, and every values file on PostgreSQL 14, is
 * applied by the capture process. Rows moving out of a filter by an update leave the warehouse;
 * rows moving in arrive; rows outside never reach any file.
 */
class RowFilterIT {
    /** Every row that stays outside its filter has a value containing "zk8", which nothing else has. */
    private static final String OUTSIDE = "zk8";

    private static void createTables(EmbeddedCell cell) {
        CapturedCells.createMarkerTable(cell);
        cell.execute("CREATE TABLE namespaces (id bigint PRIMARY KEY, name text)",
                "CREATE TABLE projects (id bigint PRIMARY KEY, namespace_id bigint, name text, description text)",
                "CREATE TABLE issues (id bigint PRIMARY KEY, visibility_level int NOT NULL, title text)",
                "ALTER TABLE issues REPLICA IDENTITY FULL",
                "INSERT INTO namespaces VALUES (10, 'internal-a'), (20, 'internal-b'), (30, 'internal-c'), (40, 'outside-zk8-40')",
                "INSERT INTO projects VALUES (1, 10, 'moves-out'), (2, 40, 'moves-in'), (3, 20, 'stays'), (6, 40, 'outside-zk8-6')",
                "INSERT INTO issues VALUES (1, 0, 'public-moves-out'), (2, 20, 'private-moves-in'), (3, 10, 'private-zk8-3')");
    }

    private static void streamChanges(EmbeddedCell cell) {
        cell.execute("INSERT INTO namespaces VALUES (50, 'outside-zk8-50'), (60, 'outside-zk8-60')",
                // a key change out of the filter: published as a delete of 30
                "UPDATE namespaces SET id = 41, name = 'outside-zk8-41' WHERE id = 30",
                "UPDATE namespaces SET name = 'outside-zk8-40b' WHERE id = 40",
                "INSERT INTO projects VALUES (4, 40, 'outside-zk8-4'), (5, 10, 'new-inside'), (7, NULL, 'outside-zk8-7')",
                "UPDATE projects SET namespace_id = 40 WHERE id = 1",
                "UPDATE projects SET namespace_id = 20 WHERE id = 2",
                "UPDATE projects SET name = 'outside-zk8-6b' WHERE id = 6",
                "DELETE FROM projects WHERE id = 4",
                "UPDATE issues SET visibility_level = 20 WHERE id = 1",
                "UPDATE issues SET visibility_level = 0 WHERE id = 2",
                "UPDATE issues SET title = 'private-zk8-3b' WHERE id = 3",
                "INSERT INTO issues VALUES (4, 0, 'new-public'), (5, 10, 'private-zk8-5')");
    }

    private static String rowFilters(Path values, boolean withPredicate) throws Exception {
        Path withoutHeader = Files.writeString(values.resolveSibling("namespace_ids.csv"), "# internal namespaces\n10\n20\n30\n");
        return "privacy:\n  row_filters:\n"
                + "    \"public.namespaces\": { column: id, values_file: \"" + values + "\" }\n"
                + "    \"public.projects\": { column: namespace_id, values_file: \"" + withoutHeader + "\" }\n"
                + (withPredicate ? "    \"public.issues\": { where: \"visibility_level = 0\" }\n" : "");
    }

    private static Path valuesFile(Path dir) throws Exception {
        // a header, a comment, a quoted value and one spelled with leading zeros
        return Files.writeString(dir.resolve("internal.csv"), "id,comment\n10,first\n# not a value\n\"20\",second\n030\n");
    }

    @Test
    void snapshotAndStreamKeepOnlyTheFilteredRowsOnPostgres17(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            createTables(cell);
            PipelineConfig config = config(dir, cell, rowFilters(valuesFile(dir), true));
            Path warehouse = dir.resolve("w.duckdb");
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                assertThat(publicationFilters(cell)).containsEntry("namespaces", "(id = ANY (ARRAY['10'::bigint, '20'::bigint, '30'::bigint]))")
                        .containsEntry("issues", "(visibility_level = 0)").containsEntry("projects", null);
                // verification reads the cell through the same filters: a row outside them in the warehouse would not match
                assertMatches(destination, config);

                streamChanges(cell);
                CapturedCells.catchUp(pipeline, CapturedCells.cells("cell-1", cell.jdbcUrl()), Duration.ofSeconds(60));
                assertMatches(destination, config);
            }
            assertFiltered(dir, warehouse);

            // A changed predicate would not apply to the changes since the checkpoint: refused, publication untouched, until a re-copy.
            PipelineConfig widened = config(dir, cell, rowFilters(valuesFile(dir), true).replace("visibility_level = 0", "visibility_level < 20"));
            try (Destination destination = Assembly.destination(widened.destination());
                    Pipeline pipeline = new Pipeline(destination, widened.capture())) {
                pipeline.start(Assembly.sources(widened));
                CellReport failed = CapturedCells.awaitReport(pipeline, "cell-1", report -> report.state() == CellState.FAILED,
                        Duration.ofSeconds(60));
                assertThat(failed.lastError()).contains("public.issues").contains("--resnapshot cell-1");
            }
            assertThat(publicationFilters(cell)).containsEntry("issues", "(visibility_level = 0)");
            try (Destination destination = Assembly.destination(widened.destination());
                    Pipeline pipeline = new Pipeline(destination, widened.capture())) {
                destination.beginSnapshot("cell-1", List.of());
                pipeline.start(Assembly.sources(widened));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                assertThat(publicationFilters(cell)).containsEntry("issues", "(visibility_level < 20)");
                cell.execute("INSERT INTO issues VALUES (6, 10, 'internal-six')");
                CapturedCells.catchUp(pipeline, CapturedCells.cells("cell-1", cell.jdbcUrl()), Duration.ofSeconds(60));
                assertMatches(destination, widened);
            }
            assertThat(ids(new WarehouseFile(warehouse), "issues")).containsExactly(2L, 3L, 4L, 5L, 6L);
        }
    }

    @Test
    void valuesFiltersAreAppliedByTheCaptureProcessOnPostgres14(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start(14)) {
            createTables(cell);
            cell.execute("ALTER TABLE issues REPLICA IDENTITY DEFAULT",
                    // the old row tells that project 2 enters the filter, and holds the TOASTed description the update does not send
                    "ALTER TABLE projects REPLICA IDENTITY FULL",
                    "UPDATE projects SET description = (SELECT string_agg(md5(g::text), '') FROM generate_series(1, 400) g) WHERE id = 2");
            PipelineConfig config = config(dir, cell, rowFilters(valuesFile(dir), false) + "    \"public.issues\": { column: visibility_level,"
                    + " values_file: \"" + Files.writeString(dir.resolve("public.csv"), "0\n") + "\" }\n");
            Path warehouse = dir.resolve("w.duckdb");
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                streamChanges(cell);
                CapturedCells.catchUp(pipeline, CapturedCells.cells("cell-1", cell.jdbcUrl()), Duration.ofSeconds(60));
                assertMatches(destination, config);
            }
            assertFiltered(dir, warehouse);
            assertThat(new WarehouseFile(warehouse).row("SELECT length(description) AS length FROM public.projects WHERE id = 2"))
                    .containsEntry("length", 400L * 32);

            // a SQL predicate cannot be evaluated by the capture process: refused on 14, with the way out
            PipelineConfig predicate = config(dir, cell, rowFilters(valuesFile(dir), true));
            try (Destination destination = Assembly.destination(predicate.destination());
                    Pipeline pipeline = new Pipeline(destination, predicate.capture())) {
                pipeline.start(Assembly.sources(predicate));
                CellReport failed = CapturedCells.awaitReport(pipeline, "cell-1", report -> report.state() == CellState.FAILED,
                        Duration.ofSeconds(60));
                assertThat(failed.lastError()).contains("privacy.row_filters.\"public.issues\"").contains("PostgreSQL 15")
                        .contains("values_file");
            }
        }
    }

    @Test
    void aPredicateOnColumnsOutsideTheReplicaIdentityIsRefused(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            createTables(cell);
            cell.execute("ALTER TABLE issues REPLICA IDENTITY DEFAULT");
            PipelineConfig config = config(dir, cell, rowFilters(valuesFile(dir), true));
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                CellReport failed = CapturedCells.awaitReport(pipeline, "cell-1", report -> report.state() == CellState.FAILED,
                        Duration.ofSeconds(60));
                assertThat(failed.lastError()).contains("privacy.row_filters.\"public.issues\"").contains("visibility_level")
                        .contains("REPLICA IDENTITY FULL");
            }
            // the check left nothing behind, and the table still takes updates
            assertThat(publicationFilters(cell)).isEmpty();
            cell.execute("UPDATE issues SET title = 'still writable' WHERE id = 1");

            // a misspelt table name would leave the table it meant captured whole
            PipelineConfig misspelt = config(dir, cell, "privacy:\n  row_filters:\n    \"public.namespace\": { column: id, values_file: \""
                    + valuesFile(dir) + "\" }\n");
            try (Destination destination = Assembly.destination(misspelt.destination());
                    Pipeline pipeline = new Pipeline(destination, misspelt.capture())) {
                pipeline.start(Assembly.sources(misspelt));
                CellReport failed = CapturedCells.awaitReport(pipeline, "cell-1", report -> report.state() == CellState.FAILED,
                        Duration.ofSeconds(60));
                assertThat(failed.lastError()).contains("public.namespace,").contains("not a captured table");
            }
        }
    }

    /** The warehouse's live rows after {@link #streamChanges}, and no byte of any file written holds a row outside the filters. */
    private static void assertFiltered(Path dir, Path warehouse) throws Exception {
        WarehouseFile file = new WarehouseFile(warehouse);
        assertThat(ids(file, "namespaces")).containsExactly(10L, 20L);
        assertThat(ids(file, "projects")).containsExactly(2L, 3L, 5L);
        assertThat(ids(file, "issues")).containsExactly(2L, 4L);
        List<String> found = new ArrayList<>();
        try (var files = Files.walk(dir)) {
            for (Path path : files.filter(Files::isRegularFile).filter(path -> !path.toString().endsWith(".csv")).toList()) {
                if (PrivacyIT.containsIgnoreCase(Files.readAllBytes(path), OUTSIDE)) {
                    found.add(path.toString());
                }
            }
        }
        assertThat(found).as("files holding rows outside the filters").isEmpty();
    }

    private static List<Object> ids(WarehouseFile file, String table) {
        return file.rows("SELECT id FROM public." + table + " WHERE NOT _deleted ORDER BY id").stream().map(row -> row.get("id")).toList();
    }

    private static Map<String, String> publicationFilters(EmbeddedCell cell) throws Exception {
        Map<String, String> filters = new java.util.HashMap<>();
        try (Connection connection = cell.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT tablename, rowfilter FROM pg_catalog.pg_publication_tables"
                        + " WHERE pubname = 'cellpipe_test'")) {
            while (rows.next()) {
                filters.put(rows.getString(1), rows.getString(2));
            }
        }
        return filters;
    }

    private static PipelineConfig config(Path dir, EmbeddedCell cell, String privacy) throws Exception {
        return new ConfigLoader(System::getenv).parse("test.yml", PipelineHarness.yaml(dir.resolve("w.duckdb"), List.of(cell), privacy));
    }
}
