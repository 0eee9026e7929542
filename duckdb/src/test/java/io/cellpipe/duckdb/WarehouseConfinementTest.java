package io.cellpipe.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A warehouse session reaches no file but the database's own and its snapshot directory, and cannot lift that. */
class WarehouseConfinementTest {
    @TempDir
    Path directory;

    @Test
    void sessionsCannotReadWriteOrAttachOtherFiles() throws Exception {
        Path file = directory.resolve("warehouse.duckdb");
        Path outside = directory.resolve("outside.csv");
        Files.writeString(directory.resolve("secret.csv"), "a\n1\n");
        try (Warehouse warehouse = Warehouse.open(file, 64L << 20, 1);
                DuckDBConnection session = warehouse.session()) {
            refused(session, "COPY (SELECT 42) TO '" + outside + "'");
            refused(session, "SELECT * FROM read_csv('" + directory.resolve("secret.csv") + "')");
            refused(session, "ATTACH '" + directory.resolve("other.duckdb") + "'");
            refused(session, "SET enable_external_access = true");
            refused(session, "SET lock_configuration = false");

            Path chunk = SnapshotFiles.create(file);
            Files.writeString(chunk, "a\n1\n2\n");
            try (Statement statement = session.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*), current_setting('TimeZone') FROM read_csv('" + chunk + "')")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(2);
                assertThat(rows.getString(2)).isEqualTo("UTC");
            }
        }
        assertThat(outside).doesNotExist();
        assertThat(directory.resolve("other.duckdb")).doesNotExist();
    }

    private static void refused(DuckDBConnection session, String sql) throws SQLException {
        try (Statement statement = session.createStatement()) {
            assertThatThrownBy(() -> statement.execute(sql)).as(sql).isInstanceOf(SQLException.class);
        }
    }
}
