package io.cellpipe.cli;

import static io.cellpipe.cli.PipelineHarness.assertMatches;
import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On PostgreSQL 15+ a column that policies drop is left out of the publication (a column list)
 * where the list is exact, so it never leaves the database; the list follows the policies across
 * restarts, and the stream keeps working. On PostgreSQL 14 the capture process drops it.
 */
class PublicationColumnListIT {
    private static final String KEY = "column-list-it-key-0123456789abcdef";

    private static String privacy(String passwordPolicy) {
        return """
                privacy:
                  keys:
                    default: "%s"
                  columns:
                    "public.catch_up_marker.*": keep
                    "public.accounts.email": hash
                    "public.accounts.note": keep
                    "public.accounts.password_digest": %s
                    "public.profiles.bio": keep
                  default: drop
                """.formatted(KEY, passwordPolicy);
    }

    private static void createTables(EmbeddedCell cell) {
        CapturedCells.createMarkerTable(cell);
        cell.execute("CREATE TABLE accounts (id bigint PRIMARY KEY, email text, password_digest text, note text)",
                // FULL: a column list must cover every column, so this table's drops stay in the capture process
                "CREATE TABLE profiles (id int PRIMARY KEY, bio text, secret text)", "ALTER TABLE profiles REPLICA IDENTITY FULL",
                "INSERT INTO accounts VALUES (1, 'a@example.com', 'pw-digest-one', 'first')",
                "INSERT INTO profiles VALUES (1, 'bio one', 'secret-one')");
    }

    @Test
    void droppedColumnsAreNotPublishedOnPostgres15AndLater(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            assertThat(cell.majorVersion()).isGreaterThanOrEqualTo(15);
            createTables(cell);
            Map<String, String> cells = CapturedCells.cells("cell-1", cell.jdbcUrl());
            Path warehouse = dir.resolve("w.duckdb");

            PipelineConfig config = config(warehouse, cell, privacy("drop"));
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                assertThat(publishedColumns(cell, "accounts")).containsExactly("id", "email", "note");
                assertThat(hasColumnList(cell, "profiles")).as("a REPLICA IDENTITY FULL table gets no column list").isFalse();
                cell.execute("INSERT INTO accounts VALUES (2, 'b@example.com', 'pw-digest-two', 'second')",
                        "UPDATE accounts SET password_digest = 'pw-digest-three', note = 'changed' WHERE id = 1",
                        "UPDATE profiles SET secret = 'secret-two', bio = 'bio changed' WHERE id = 1", "DELETE FROM accounts WHERE id = 2");
                CapturedCells.catchUp(pipeline, cells, Duration.ofSeconds(60));
                assertMatches(destination, config);
            }
            WarehouseFile file = new WarehouseFile(warehouse);
            assertThat(file.row("SELECT note FROM public.accounts WHERE id = 1")).containsEntry("note", "changed");
            assertThat(file.row("SELECT bio FROM public.profiles WHERE id = 1")).containsEntry("bio", "bio changed");
            assertThat(columns(file, "accounts")).doesNotContain("password_digest");
            assertThat(columns(file, "profiles")).doesNotContain("secret");

            // Hashing the column from now on puts it back into the publication at the next start.
            PipelineConfig hashing = config(warehouse, cell, privacy("hash"));
            try (Destination destination = Assembly.destination(hashing.destination());
                    Pipeline pipeline = new Pipeline(destination, hashing.capture())) {
                pipeline.start(Assembly.sources(hashing));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                assertThat(publishedColumns(cell, "accounts")).containsExactly("id", "email", "password_digest", "note");
                cell.execute("UPDATE accounts SET password_digest = 'pw-digest-four' WHERE id = 1");
                CapturedCells.catchUp(pipeline, cells, Duration.ofSeconds(60));
            }
            assertThat(file.row("SELECT password_digest FROM public.accounts WHERE id = 1"))
                    .containsEntry("password_digest", PrivacyIT.hmac(KEY, "pw-digest-four"));
        }
    }

    @Test
    void postgres14DropsColumnsInTheCaptureProcess(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start(14)) {
            createTables(cell);
            Path warehouse = dir.resolve("w.duckdb");
            PipelineConfig config = config(warehouse, cell, privacy("drop"));
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                cell.execute("INSERT INTO accounts VALUES (2, 'b@example.com', 'pw-digest-two', 'second')",
                        "UPDATE accounts SET password_digest = 'pw-digest-three', note = 'changed' WHERE id = 1");
                CapturedCells.catchUp(pipeline, CapturedCells.cells("cell-1", cell.jdbcUrl()), Duration.ofSeconds(60));
                assertMatches(destination, config);
            }
            WarehouseFile file = new WarehouseFile(warehouse);
            assertThat(file.count("SELECT count(*) FROM public.accounts")).isEqualTo(2);
            assertThat(columns(file, "accounts")).doesNotContain("password_digest");
        }
    }

    private static PipelineConfig config(Path warehouse, EmbeddedCell cell, String privacy) {
        return new ConfigLoader(System::getenv).parse("test.yml", PipelineHarness.yaml(warehouse, List.of(cell), privacy));
    }

    private static List<Object> columns(WarehouseFile file, String table) {
        return file.rows("SELECT column_name FROM information_schema.columns WHERE table_name = '" + table + "'").stream()
                .map(row -> row.get("column_name")).toList();
    }

    static List<String> publishedColumns(EmbeddedCell cell, String table) throws Exception {
        try (Connection connection = cell.connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT unnest(attnames) FROM pg_catalog.pg_publication_tables WHERE pubname = 'cellpipe_test' AND tablename = ?")) {
            statement.setString(1, table);
            List<String> columns = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
            }
            return columns;
        }
    }

    static boolean hasColumnList(EmbeddedCell cell, String table) throws Exception {
        try (Connection connection = cell.connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT pr.prattrs IS NOT NULL FROM pg_catalog.pg_publication_rel pr JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid"
                        + " WHERE p.pubname = 'cellpipe_test' AND pr.prrelid = ?::regclass")) {
            statement.setString(1, "public." + table);
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).as("%s is published", table).isTrue();
                return rows.getBoolean(1);
            }
        }
    }
}
