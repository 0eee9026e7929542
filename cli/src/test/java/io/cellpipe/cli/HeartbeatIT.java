package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.DemoSchema;
import io.cellpipe.testing.EmbeddedCell;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An idle cell's slot keeps advancing, so it does not hold back WAL written for tables we don't capture. */
class HeartbeatIT {
    @Test
    void idleCellSlotAdvancesPastUnrelatedWal(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            try (Connection connection = cell.connect()) {
                DemoSchema.create(connection);
            }
            cell.execute("CREATE SCHEMA noise", "CREATE TABLE noise.log (id bigserial PRIMARY KEY, line text)");
            PipelineConfig config = PipelineHarness.config(dir.resolve("w.duckdb"), List.of(cell));
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                PipelineHarness.awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                cell.execute("INSERT INTO noise.log (line) SELECT repeat('x', 200) FROM generate_series(1, 20000)");
                Lsn written = lsn(cell, "SELECT pg_current_wal_lsn()::text");
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                Lsn confirmed = Lsn.ZERO;
                while (System.nanoTime() < deadline && !confirmed.isAfter(written)) {
                    Thread.sleep(200);
                    confirmed = lsn(cell, "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = 'cellpipe_test'");
                }
                assertThat(confirmed).as("slot confirmed_flush_lsn after unrelated WAL up to %s", written).isGreaterThan(written);
                assertThat(destination.checkpoint("cell-1")).isPresent();
            }
        }
    }

    private static Lsn lsn(EmbeddedCell cell, String sql) throws Exception {
        try (Connection connection = cell.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return Lsn.parse(rows.getString(1));
        }
    }
}
