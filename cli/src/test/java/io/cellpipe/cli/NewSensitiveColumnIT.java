package io.cellpipe.cli;

import static io.cellpipe.cli.PipelineHarness.assertMatches;
import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sensitive column added upstream while streaming does not leak: under {@code default: drop} it
 * is not captured at all, and under a matching hash pattern only its hash lands. Checked on
 * PostgreSQL 17 (where the first table is published with a column list) and 14 (where the capture
 * process drops it), by scanning every byte the pipeline wrote and logged.
 */
class NewSensitiveColumnIT {
    private static final String KEY = "new-column-it-key-0123456789abcdef";
    /** Each contains "vk9q", which nothing else in the test data does. */
    private static final List<String> SEEDED = List.of("+49-vk9q-555", "+49-vk9q-777", "reset-vk9q-1", "reset-vk9q-2", "reset-vk9q-3");
    private static final String PRIVACY = """
            privacy:
              keys:
                default: "%s"
              columns:
                "public.catch_up_marker.*": keep
                "public.members.note": keep
                "public.tokens.note": keep
                "public.tokens.*_token": hash
              default: drop
            """.formatted(KEY);

    @Test
    void onPostgres17(@TempDir Path dir) throws Exception {
        run(17, dir);
    }

    @Test
    void onPostgres14(@TempDir Path dir) throws Exception {
        run(14, dir);
    }

    private static void run(int version, Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start(version)) {
            CapturedCells.createMarkerTable(cell);
            cell.execute("CREATE TABLE members (id int PRIMARY KEY, note text)", "CREATE TABLE tokens (id int PRIMARY KEY, note text)",
                    "INSERT INTO members VALUES (1, 'before')", "INSERT INTO tokens VALUES (1, 'before')");
            Path warehouse = dir.resolve("w.duckdb");
            PipelineConfig config = new ConfigLoader(System::getenv).parse("test.yml", PipelineHarness.yaml(warehouse, List.of(cell), PRIVACY));
            Map<String, String> cells = CapturedCells.cells("cell-1", cell.jdbcUrl());
            ListAppender<ILoggingEvent> log = PrivacyIT.captureLog();
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                if (version >= 15) {
                    assertThat(PublicationColumnListIT.publishedColumns(cell, "members")).containsExactly("id", "note");
                    assertThat(PublicationColumnListIT.hasColumnList(cell, "tokens")).as("a wildcard keeps columns added later").isFalse();
                }
                cell.execute("ALTER TABLE members ADD COLUMN phone text", "ALTER TABLE tokens ADD COLUMN reset_token text",
                        "INSERT INTO members VALUES (2, 'after', '+49-vk9q-555')", "UPDATE members SET phone = '+49-vk9q-777' WHERE id = 1",
                        "INSERT INTO tokens VALUES (2, 'after', 'reset-vk9q-1')", "UPDATE tokens SET reset_token = 'reset-vk9q-2' WHERE id = 1",
                        "UPDATE tokens SET reset_token = 'reset-vk9q-3', note = 'again' WHERE id = 2");
                CapturedCells.catchUp(pipeline, cells, Duration.ofSeconds(60));
                assertMatches(destination, config);
            } finally {
                PrivacyIT.detach(log);
            }

            WarehouseFile file = new WarehouseFile(warehouse);
            assertThat(file.rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'members'"))
                    .extracting(row -> row.get("column_name")).doesNotContain("phone");
            assertThat(file.rows("SELECT reset_token FROM public.tokens ORDER BY id")).extracting(row -> row.get("reset_token"))
                    .containsExactly(PrivacyIT.hmac(KEY, "reset-vk9q-2"), PrivacyIT.hmac(KEY, "reset-vk9q-3"));
            assertThat(file.count("SELECT count(*) FROM public.members")).isEqualTo(2);

            List<String> found = new ArrayList<>();
            List<Path> written = new ArrayList<>();
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(Files::isRegularFile).forEach(written::add);
            }
            for (Path path : written) {
                found.addAll(seededIn(path.toString(), Files.readAllBytes(path)));
            }
            StringBuilder logText = new StringBuilder();
            for (ILoggingEvent event : log.list) {
                logText.append(event.getFormattedMessage()).append('\n');
                for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
                    logText.append(cause.getMessage()).append('\n');
                }
            }
            found.addAll(seededIn("the log", logText.toString().getBytes(StandardCharsets.UTF_8)));
            assertThat(written).as("files scanned").contains(warehouse);
            assertThat(found).as("seeded values found").isEmpty();
            // the same scan finds a value the policies keep, so it would see a leak
            Path wal = warehouse.resolveSibling("w.duckdb.wal");
            assertThat(PrivacyIT.containsIgnoreCase(Files.readAllBytes(warehouse), "again")
                    || Files.exists(wal) && PrivacyIT.containsIgnoreCase(Files.readAllBytes(wal), "again")).isTrue();
        }
    }

    private static List<String> seededIn(String where, byte[] bytes) {
        List<String> found = new ArrayList<>();
        for (String value : SEEDED) {
            if (PrivacyIT.containsIgnoreCase(bytes, value)) {
                found.add("'" + value + "' in " + where);
            }
        }
        return found;
    }
}
