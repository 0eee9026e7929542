package io.cellpipe.cli;

import static io.cellpipe.cli.PipelineHarness.assertMatches;
import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Red data never leaves the capture process in clear (architecture invariant 6): after a snapshot
 * and streaming (updates of the sensitive columns, old images included, a spilled transaction), no
 * byte of the warehouse file, the spill directory or the log holds a sensitive value, while hashes
 * join across cells and tables and verification still matches.
 */
class PrivacyIT {
    private static final String DEFAULT_KEY = "privacy-it-default-key-0123456789";
    private static final String EMAIL_KEY = "privacy-it-email-key-0123456789ab";
    private static final String IP_KEY = "privacy-it-ip-key-0123456789abcdef";
    /**
     * Each contains "zq7", which nothing else in the test data does; matched case-insensitively. No
     * needle is shorter than 7 bytes: a 3-byte one turns up by chance in a few MB of compressed data.
     */
    private static final List<String> SENSITIVE = List.of("zq7.alice", "zq7.bob", "zq7.carol", "zq7.bulk", "Zq7 Liddell", "Zq7 Builder",
            "Zq7 Carol", "Zq7 Bulk", "10.77.66.55", "10.77.66.56", "10.77.66.99", "pw-zq7-", "tok-zq7-", "sess-zq7-");
    private static final String VISIBLE = "visible-kept-value-k4x";

    private static List<EmbeddedCell> cells;

    @BeforeAll
    static void startCells() {
        // A tiny logical_decoding_work_mem makes PostgreSQL stream the large transaction.
        cells = List.of(EmbeddedCell.builder().setting("logical_decoding_work_mem", "64kB").start(), EmbeddedCell.start());
        for (EmbeddedCell cell : cells) {
            CapturedCells.createMarkerTable(cell);
            cell.execute(
                    "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text, encrypted_password text,"
                            + " ip_address inet, login_token text, note text, age int)",
                    "CREATE TABLE contacts (id int PRIMARY KEY, email varchar(200), ip_address inet, note text)",
                    // The old row travels in full on update and delete: its values must be transformed too.
                    "ALTER TABLE contacts REPLICA IDENTITY FULL",
                    // a hashed key: the warehouse sorts by the hashes, which verification must follow
                    "CREATE TABLE sessions (token text PRIMARY KEY, user_id int NOT NULL)",
                    "INSERT INTO sessions SELECT 'sess-zq7-' || g, g FROM generate_series(1, 40) g");
        }
        cells.get(0).execute(
                "INSERT INTO users VALUES (1, 'Zq7.Alice@Example.com ', 'Zq7 Liddell', 'pw-zq7-aaaa', '10.77.66.55', 'tok-zq7-1', '"
                        + VISIBLE + "', 30)",
                "INSERT INTO users VALUES (2, 'zq7.bob@example.com', 'Zq7 Builder', 'pw-zq7-bbbb', '10.77.66.56', 'tok-zq7-2', 'plain', NULL)",
                "INSERT INTO contacts VALUES (1, 'zq7.alice@example.com', '10.77.66.55', 'first')");
        cells.get(1).execute(
                "INSERT INTO users VALUES (1, 'zq7.alice@example.com', 'Zq7 Liddell', 'pw-zq7-cccc', '10.77.66.55', 'tok-zq7-3', 'other', 41)",
                "INSERT INTO contacts VALUES (7, ' ZQ7.ALICE@example.com', NULL, 'second')");
    }

    @AfterAll
    static void stopCells() {
        cells.forEach(EmbeddedCell::close);
    }

    private static String privacy(String emailKey) {
        return """
                privacy:
                  keys:
                    default: "%s"
                    email: "%s"
                    ip: "%s"
                  columns:
                    "public.*.email": hash:email
                    "public.users.encrypted_password": drop
                    "*.*.ip_address": hash:ip
                    "public.users.name": redact
                    "public.users.login_token": hash
                    "public.sessions.token": hash
                  default: keep
                """.formatted(DEFAULT_KEY, emailKey, IP_KEY);
    }

    @Test
    void sensitiveValuesNeverReachTheWarehouseTheSpillFilesOrTheLog(@TempDir Path dir) throws Exception {
        Path warehouse = dir.resolve("w.duckdb");
        PipelineConfig config = new ConfigLoader(System::getenv).parse("test.yml", PipelineHarness.yaml(warehouse, cells, privacy(EMAIL_KEY)));
        Map<String, String> cellUrls = CapturedCells.cells("cell-1", cells.get(0).jdbcUrl(), "cell-2", cells.get(1).jdbcUrl());
        Path spill = dir.resolve("spill");
        ListAppender<ILoggingEvent> log = captureLog();
        SpillWatcher watcher = new SpillWatcher(spill);
        try (Destination destination = Assembly.destination(config.destination())) {
            try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                awaitStreaming(pipeline, "cell-2", Duration.ofSeconds(60));
                Thread watching = Thread.ofVirtual().start(watcher);
                try {
                    streamSensitiveChanges();
                    CapturedCells.catchUp(pipeline, cellUrls, Duration.ofSeconds(90));
                } finally {
                    watcher.stop();
                    watching.join();
                }
            }
            assertMatches(destination, config);
        } finally {
            detach(log);
        }

        WarehouseFile file = new WarehouseFile(warehouse);
        String alice = hmac(EMAIL_KEY, "zq7.alice@example.com");
        assertThat(file.rows("SELECT _cell_id, email FROM public.users WHERE id = 1 ORDER BY _cell_id"))
                .extracting(row -> row.get("email")).containsExactly(alice, alice);
        assertThat(file.rows("SELECT _cell_id, email FROM public.contacts WHERE id IN (1, 7) AND NOT _deleted ORDER BY _cell_id"))
                .extracting(row -> row.get("email")).containsExactly(alice, alice);
        assertThat(file.row("SELECT ip_address, name, login_token FROM public.users WHERE _cell_id = 'cell-1' AND id = 2"))
                .containsEntry("ip_address", hmac(IP_KEY, "10.77.66.99")).containsEntry("name", "[redacted]")
                .containsEntry("login_token", hmac(DEFAULT_KEY, "tok-zq7-2b"));
        assertThat(file.row("SELECT user_id FROM public.sessions WHERE _cell_id = 'cell-2' AND token = '" + hmac(DEFAULT_KEY, "sess-zq7-7")
                + "'")).containsEntry("user_id", 99);
        assertThat(file.rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'users'"))
                .extracting(row -> row.get("column_name")).doesNotContain("encrypted_password");

        List<String> found = new ArrayList<>();
        List<Path> scanned = new ArrayList<>();
        scanned.add(warehouse);
        Path wal = warehouse.resolveSibling(warehouse.getFileName() + ".wal");
        if (Files.exists(wal)) {
            scanned.add(wal);
        }
        if (Files.isDirectory(spill)) {
            try (Stream<Path> files = Files.walk(spill)) {
                files.filter(Files::isRegularFile).forEach(scanned::add);
            }
        }
        for (Path path : scanned) {
            found.addAll(sensitiveIn(path.getFileName().toString(), Files.readAllBytes(path)));
        }
        found.addAll(watcher.found);
        StringBuilder logText = new StringBuilder();
        for (ILoggingEvent event : log.list) {
            logText.append(event.getFormattedMessage()).append('\n');
            for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
                logText.append(cause.getMessage()).append('\n');
            }
        }
        found.addAll(sensitiveIn("the log", logText.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(log.list).as("the log was captured").isNotEmpty();
        assertThat(logText.toString()).as("no key appears in the log").doesNotContain(DEFAULT_KEY).doesNotContain(EMAIL_KEY).doesNotContain(IP_KEY);
        assertThat(found).as("sensitive values found (spill files seen while streaming: %s)", watcher.filesSeen.size()).isEmpty();
        // A value no policy touches is found by the same scan, so the scan would see a leak.
        assertThat(containsIgnoreCase(Files.readAllBytes(warehouse), VISIBLE)
                || Files.exists(wal) && containsIgnoreCase(Files.readAllBytes(wal), VISIBLE)).as("the scan sees kept values").isTrue();
    }

    @Test
    void aDifferentKeyGivesDifferentHashes(@TempDir Path dir) throws Exception {
        Path warehouse = dir.resolve("w.duckdb");
        String otherKey = "privacy-it-another-email-key-0123";
        PipelineConfig config = new ConfigLoader(System::getenv).parse("test.yml",
                PipelineHarness.yaml(warehouse, List.of(cells.get(1)), privacy(otherKey)));
        try (Destination destination = Assembly.destination(config.destination())) {
            try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
            }
        }
        Object email = new WarehouseFile(warehouse).row("SELECT email FROM public.users WHERE id = 1").get("email");
        assertThat(email).isEqualTo(hmac(otherKey, "zq7.alice@example.com")).isNotEqualTo(hmac(EMAIL_KEY, "zq7.alice@example.com"));
    }

    private static void streamSensitiveChanges() {
        cells.get(0).execute(
                "UPDATE users SET email = 'zq7.carol@example.com', name = 'Zq7 Carol', encrypted_password = 'pw-zq7-dddd' WHERE id = 2",
                "UPDATE users SET ip_address = '10.77.66.99', login_token = 'tok-zq7-2b', email = 'zq7.bob@example.com' WHERE id = 2",
                "UPDATE contacts SET note = 'touched' WHERE id = 1",
                "INSERT INTO contacts VALUES (2, 'zq7.bob@example.com', '10.77.66.56', 'to delete')",
                "DELETE FROM contacts WHERE id = 2",
                // Larger than transaction_memory (256KB): spilled to disk, and streamed by PostgreSQL on cell-1.
                "INSERT INTO users SELECT 1000 + g, 'zq7.bulk' || g || '@example.com', 'Zq7 Bulk ' || g, 'pw-zq7-' || g, '10.77.66.99',"
                        + " 'tok-zq7-' || g || repeat('x', 200), 'bulk', g FROM generate_series(1, 3000) g",
                "UPDATE users SET email = 'zq7.bulk-again' || id || '@example.com' WHERE id > 1000");
        cells.get(1).execute(
                "UPDATE users SET email = '  ZQ7.Alice@Example.com', login_token = 'tok-zq7-4' WHERE id = 1",
                "UPDATE users SET email = 'zq7.alice@example.com' WHERE id = 1",
                "UPDATE contacts SET ip_address = '10.77.66.55' WHERE id = 7",
                "UPDATE sessions SET user_id = 99 WHERE token = 'sess-zq7-7'", "DELETE FROM sessions WHERE token = 'sess-zq7-8'",
                "INSERT INTO sessions VALUES ('sess-zq7-new', 41)");
    }

    static String hmac(String key, String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> sensitiveIn(String where, byte[] bytes) {
        List<String> found = new ArrayList<>();
        for (String value : SENSITIVE) {
            if (containsIgnoreCase(bytes, value)) {
                found.add("'" + value + "' in " + where);
            }
        }
        return found;
    }

    static boolean containsIgnoreCase(byte[] haystack, String needle) {
        byte[] pattern = needle.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + pattern.length <= haystack.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                byte b = haystack[i + j];
                if (b >= 'A' && b <= 'Z') {
                    b = (byte) (b + ('a' - 'A'));
                }
                if (b != pattern[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static ListAppender<ILoggingEvent> captureLog() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setName("privacy-it");
        appender.start();
        root.addAppender(appender);
        ((Logger) LoggerFactory.getLogger("io.cellpipe")).setLevel(Level.DEBUG);
        return appender;
    }

    static void detach(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
        ((Logger) LoggerFactory.getLogger("io.cellpipe")).setLevel(null);
        appender.stop();
    }

    /** Reads every spill file while streaming runs, since a spill file is deleted once its transaction is applied. */
    private static final class SpillWatcher implements Runnable {
        private final Path directory;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final Set<Path> filesSeen = ConcurrentHashMap.newKeySet();
        final List<String> found = java.util.Collections.synchronizedList(new ArrayList<>());

        SpillWatcher(Path directory) {
            this.directory = directory;
        }

        void stop() {
            running.set(false);
        }

        @Override
        public void run() {
            while (running.get()) {
                if (Files.isDirectory(directory)) {
                    try (Stream<Path> files = Files.walk(directory)) {
                        files.filter(Files::isRegularFile).forEach(this::scan);
                    } catch (IOException | UncheckedIOException e) {
                        // a file vanished while listing; look again
                    }
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void scan(Path file) {
            try {
                byte[] bytes = Files.readAllBytes(file);
                filesSeen.add(file);
                found.addAll(sensitiveIn("spill file " + file.getFileName(), bytes));
            } catch (NoSuchFileException e) {
                // applied and deleted meanwhile
            } catch (IOException e) {
                // being written or deleted; the next round reads it again
            }
        }
    }
}
