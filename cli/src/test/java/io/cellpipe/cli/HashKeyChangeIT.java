package io.cellpipe.cli;

import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.privacy.KeyFingerprint;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The warehouse records the fingerprint of each key category at the first start; `run` with a
 * different key for a recorded category is refused with both fingerprints, and `--rehash` records
 * the new key and copies the cells again, so every loaded hash is made with the new key.
 */
class HashKeyChangeIT {
    private static final String OLD_KEY = "hash-key-change-it-old-0123456789";
    private static final String NEW_KEY = "hash-key-change-it-new-0123456789";
    private static final String IP_KEY = "hash-key-change-it-ip-0123456789ab";

    private static String privacy(String emailKey, boolean withIp) {
        return """
                privacy:
                  keys:
                    email: "%s"
                %s  columns:
                    "public.users.email": hash:email
                """.formatted(emailKey, withIp ? "    ip: \"" + IP_KEY + "\"\n" : "");
    }

    @Test
    void aDifferentKeyIsRefusedUnlessARehashIsRequested(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            CapturedCells.createMarkerTable(cell);
            cell.execute("CREATE TABLE users (id int PRIMARY KEY, email text)", "INSERT INTO users VALUES (1, 'ann@example.com')");
            Path warehouse = dir.resolve("w.duckdb");
            PipelineConfig old = config(warehouse, cell, privacy(OLD_KEY, false));
            String oldFingerprint = old.privacy().keys().get("email").fingerprint();
            try (Destination destination = Assembly.destination(old.destination())) {
                assertThat(HashKeyGuard.check(old, destination, false)).isEmpty();
                load(destination, old, cell);
                assertThat(destination.hashKeys()).containsExactly(Map.entry("email", new KeyFingerprint("email", "hmac_sha256", oldFingerprint)));
            }
            assertThat(email(warehouse)).isEqualTo(PrivacyIT.hmac(OLD_KEY, "ann@example.com"));

            // A new category is simply recorded; the same key again is fine.
            PipelineConfig withIp = config(warehouse, cell, privacy(OLD_KEY, true));
            try (Destination destination = Assembly.destination(withIp.destination())) {
                assertThat(HashKeyGuard.check(withIp, destination, false)).isEmpty();
                assertThat(destination.hashKeys()).containsOnlyKeys("email", "ip");
            }

            Path changedFile = dir.resolve("changed.yml");
            Files.writeString(changedFile, PipelineHarness.yaml(warehouse, List.of(cell), privacy(NEW_KEY, true)));
            PipelineConfig changed = new ConfigLoader(System::getenv).load(changedFile);
            String newFingerprint = changed.privacy().keys().get("email").fingerprint();
            StringWriter err = new StringWriter();
            CommandLine commandLine = Main.commandLine();
            commandLine.setErr(new PrintWriter(err, true));
            int exit = commandLine.execute("run", "--config", changedFile.toString());
            assertThat(exit).isEqualTo(Main.CONFIG_ERROR);
            assertThat(err.toString()).contains("category 'email'").contains("hmac_sha256 key " + oldFingerprint)
                    .contains("hmac_sha256 key " + newFingerprint).contains("--rehash").doesNotContain(NEW_KEY).doesNotContain(OLD_KEY);
            assertThat(email(warehouse)).as("nothing was loaded").isEqualTo(PrivacyIT.hmac(OLD_KEY, "ann@example.com"));

            try (Destination destination = Assembly.destination(changed.destination())) {
                assertThat(destination.hashKeys().get("email").fingerprint()).as("the refused start recorded nothing").isEqualTo(oldFingerprint);
                List<String> recopy = HashKeyGuard.check(changed, destination, true);
                assertThat(recopy).containsExactly("cell-1");
                assertThat(destination.hashKeys().get("email").fingerprint()).isEqualTo(newFingerprint);
                // what `run --rehash` does with them, as for --resnapshot
                recopy.forEach(id -> destination.beginSnapshot(id, List.of()));
                load(destination, changed, cell);
            }
            assertThat(email(warehouse)).isEqualTo(PrivacyIT.hmac(NEW_KEY, "ann@example.com"));
        }
    }

    private static void load(Destination destination, PipelineConfig config, EmbeddedCell cell) throws Exception {
        try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
            pipeline.start(Assembly.sources(config));
            awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
            CapturedCells.catchUp(pipeline, CapturedCells.cells("cell-1", cell.jdbcUrl()), Duration.ofSeconds(60));
        }
    }

    private static Object email(Path warehouse) {
        return new WarehouseFile(warehouse).row("SELECT email FROM public.users WHERE id = 1").get("email");
    }

    private static PipelineConfig config(Path warehouse, EmbeddedCell cell, String privacy) {
        return new ConfigLoader(System::getenv).parse("test.yml", PipelineHarness.yaml(warehouse, List.of(cell), privacy));
    }
}
