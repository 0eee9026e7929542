package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction far larger than the pipeline's heap streams through: the pipeline runs in a child
 * JVM with a 64 MiB heap while one transaction inserts and then updates a million rows. Memory is
 * bounded only if neither the capture nor the apply holds the transaction whole.
 */
class LargeTransactionIT {
    private static final int ROWS = 1_000_000;

    @Test
    void aMillionRowTransactionFitsInASmallHeap(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            cell.execute("""
                    CREATE TABLE public.events (id bigint PRIMARY KEY, account_id bigint, kind text, payload jsonb, amount numeric(12,2),
                        ratio double precision, happened_at timestamptz, day date, tags text[], flag boolean)""",
                    "INSERT INTO public.events VALUES (0, 0, 'seed', '{}', 0, 0, now(), current_date, '{}', false)");
            Path configFile = dir.resolve("cellpipe.yml");
            Files.writeString(configFile, PipelineHarness.yaml(dir.resolve("w.duckdb"), List.of(cell), "").replace("256KB", "4MB"));
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                    "-Xmx64m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--config", configFile.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            try {
                awaitConfirmedPast(cell, Lsn.ZERO, child, dir);
                cell.execute("""
                        BEGIN;
                        INSERT INTO public.events SELECT g, g % 1000, 'kind-' || (g % 7), jsonb_build_object('n', g, 's', md5(g::text)),
                            g / 100.0, g / 3.0, now(), current_date - (g % 365), ARRAY['a', g::text], g % 2 = 0
                        FROM generate_series(1, ROWS) g;
                        UPDATE public.events SET amount = amount + 1 WHERE id % 2 = 0;
                        COMMIT""".replace("ROWS", String.valueOf(ROWS)));
                Lsn end = lsn(cell, "SELECT pg_current_wal_lsn()::text");
                awaitConfirmedPast(cell, end, child, dir);
            } finally {
                child.destroy();
                assertThat(child.waitFor()).as("graceful exit on SIGTERM; log:%n%s", Files.readString(dir.resolve("child.log"))).isZero();
            }
            PipelineConfig config = new ConfigLoader(System::getenv).load(configFile);
            try (Destination destination = Assembly.destination(config.destination())) {
                PipelineHarness.assertMatches(destination, config);
            }
        }
    }

    /** Acknowledgement reaches PostgreSQL only after the warehouse committed, so the slot shows progress. */
    private static void awaitConfirmedPast(EmbeddedCell cell, Lsn target, Process child, Path dir) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(child.isAlive()).as("pipeline alive; log:%n%s", Files.readString(dir.resolve("child.log"))).isTrue();
            Lsn confirmed = lsn(cell, "SELECT coalesce(max(confirmed_flush_lsn), '0/0')::text FROM pg_replication_slots WHERE slot_name = 'cellpipe_test'");
            if (confirmed.isAfter(target)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the slot was not confirmed past " + target + "; log:\n" + Files.readString(dir.resolve("child.log")));
    }

    private static Lsn lsn(EmbeddedCell cell, String sql) throws Exception {
        try (Connection connection = cell.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return Lsn.parse(rows.getString(1));
        }
    }
}
