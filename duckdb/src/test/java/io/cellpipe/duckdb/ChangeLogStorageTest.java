package io.cellpipe.duckdb;

import static io.cellpipe.duckdb.Fixtures.column;
import static io.cellpipe.duckdb.Fixtures.key;
import static io.cellpipe.duckdb.Fixtures.row;
import static io.cellpipe.duckdb.Fixtures.table;
import static io.cellpipe.duckdb.Fixtures.transaction;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.TableSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the change log is stored: zstd for its JSON columns where the warehouse file's storage version has it. */
class ChangeLogStorageTest {
    private static final TableSchema USERS = table("public.users", key("id", ColumnKind.INT64), column("state", ColumnKind.TEXT));
    private static final String JSON_SEGMENTS = "SELECT DISTINCT column_name, compression FROM pragma_storage_info('_cellpipe.changes')"
            + " WHERE column_name IN ('key', 'before', 'after') AND segment_type <> 'VALIDITY' ORDER BY ALL";

    @TempDir
    Path directory;

    @Test
    void aNewWarehouseStoresTheChangeLogsJsonWithZstd() {
        Path file = directory.resolve("warehouse.duckdb");
        applyUpdates(file);

        assertThat(WarehouseFile.query(file, JSON_SEGMENTS)).containsExactly(
                List.of("after", "ZSTD"), List.of("before", "ZSTD"), List.of("key", "ZSTD"));
        assertThat(WarehouseFile.query(file, ChangeLogQueriesTest.HISTORY_OF_A_ROW.replace("cell-7", "cell-1")))
                .extracting(change -> change.get(4)).containsExactly("active", "state-1", "state-2");
    }

    @Test
    void aWarehouseFileOfAnOlderStorageVersionGetsTheDefaultCompression() throws SQLException {
        Path file = directory.resolve("old.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute("ATTACH '" + file.toAbsolutePath() + "' AS old (STORAGE_VERSION 'v1.0.0')");
            statement.execute("DETACH old");
        }
        applyUpdates(file);

        assertThat(WarehouseFile.query(file, JSON_SEGMENTS)).extracting(segment -> segment.get(1)).isNotEmpty().doesNotContain("ZSTD");
        assertThat(WarehouseFile.query(file, ChangeLogQueriesTest.HISTORY_OF_A_ROW.replace("cell-7", "cell-1")))
                .extracting(change -> change.get(4)).containsExactly("active", "state-1", "state-2");
    }

    /** Row 42 inserted and updated twice, with other rows around it; closing the destination checkpoints the file. */
    private static void applyUpdates(Path file) {
        try (DuckDbDestination destination = new DuckDbDestination(DuckDbOptions.of(file))) {
            List<Change> inserts = new ArrayList<>();
            for (int id = 1; id <= 2_000; id++) {
                inserts.add(Change.insert(USERS, row(Integer.toString(id), "active")));
            }
            destination.apply(List.of(transaction("cell-1", 1, inserts.toArray(Change[]::new)),
                    transaction("cell-1", 2, Change.update(USERS, null, row("42", "state-1"))),
                    transaction("cell-1", 3, Change.update(USERS, null, row("42", "state-2")))));
        }
    }
}
