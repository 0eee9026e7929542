package io.cellpipe.cli;

import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.CellReport;
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
 * A table renamed while it streams stops, under both names, before a single row is written under the
 * new one: the privacy rules name the old name, so under the new one a hashed column would land in
 * clear. Checked by scanning every byte the pipeline wrote and logged, and across a restart.
 */
class TableRenameIT {
    private static final String KEY = "rename-it-key-0123456789abcdef0123";
    /** Contains "zq7w", which nothing else in the test data does. */
    private static final String SEEDED = "person-zq7w@example.com";
    private static final String PRIVACY = """
            privacy:
              keys:
                default: "%s"
              columns:
                "public.people.email": hash
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
            cell.execute("CREATE TABLE people (id int PRIMARY KEY, email text)", "INSERT INTO people VALUES (1, 'first@example.com')");
            Path warehouse = dir.resolve("w.duckdb");
            PipelineConfig config = new ConfigLoader(System::getenv).parse("test.yml", PipelineHarness.yaml(warehouse, List.of(cell), PRIVACY));
            Map<String, String> cells = CapturedCells.cells("cell-1", cell.jdbcUrl());
            ListAppender<ILoggingEvent> log = PrivacyIT.captureLog();
            try {
                try (Destination destination = Assembly.destination(config.destination());
                        Pipeline pipeline = new Pipeline(destination, config.capture())) {
                    pipeline.start(Assembly.sources(config));
                    awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                    cell.execute("ALTER TABLE people RENAME TO humans", "INSERT INTO humans VALUES (2, '" + SEEDED + "')",
                            "UPDATE humans SET email = '" + SEEDED + "' WHERE id = 1");
                    CapturedCells.catchUp(pipeline, cells, Duration.ofSeconds(60));
                    CellReport report = pipeline.report().get(0);
                    assertThat(report.stoppedTables()).containsKeys("public.people", "public.humans");
                    assertThat(report.stoppedTables().get("public.people")).contains("renamed to public.humans")
                            .contains("privacy.columns").contains("--resnapshot cell-1");
                    assertThat(destination.stoppedTables().get("cell-1")).containsKeys("public.people", "public.humans");
                }
                // after a restart the stream announces the table under its new name only: it stays stopped
                cell.execute("INSERT INTO humans VALUES (3, '" + SEEDED + "')");
                try (Destination destination = Assembly.destination(config.destination());
                        Pipeline pipeline = new Pipeline(destination, config.capture())) {
                    pipeline.start(Assembly.sources(config));
                    awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                    CapturedCells.catchUp(pipeline, cells, Duration.ofSeconds(60));
                    assertThat(pipeline.report().get(0).stoppedTables()).containsKeys("public.people", "public.humans");
                }
            } finally {
                PrivacyIT.detach(log);
            }

            WarehouseFile file = new WarehouseFile(warehouse);
            assertThat(file.count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'humans'")).isZero();
            assertThat(file.count("SELECT count(*) FROM public.people")).isEqualTo(1);
            assertThat(file.rows("SELECT email FROM public.people")).extracting(row -> row.get("email"))
                    .containsExactly(PrivacyIT.hmac(KEY, "first@example.com"));

            List<String> found = new ArrayList<>();
            List<Path> written = new ArrayList<>();
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(Files::isRegularFile).forEach(written::add);
            }
            for (Path path : written) {
                if (PrivacyIT.containsIgnoreCase(Files.readAllBytes(path), "zq7w")) {
                    found.add(path.toString());
                }
            }
            StringBuilder logText = new StringBuilder();
            for (ILoggingEvent event : log.list) {
                logText.append(event.getFormattedMessage()).append('\n');
                for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
                    logText.append(cause.getMessage()).append('\n');
                }
            }
            if (logText.indexOf("zq7w") >= 0) {
                found.add("the log");
            }
            assertThat(written).as("files scanned").contains(warehouse);
            assertThat(found).as("the clear value found in").isEmpty();
        }
    }
}
