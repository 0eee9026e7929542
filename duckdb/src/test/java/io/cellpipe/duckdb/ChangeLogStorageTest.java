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
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the change log is stored: rows, transactions and table names in tables of their own behind the
 * {@code _cellpipe.changes} view, zstd for its JSON columns where the warehouse file's storage version has it, and
 * the one-table change log of an existing warehouse moved into that layout.
 */
class ChangeLogStorageTest {
    private static final TableSchema USERS = table("public.users", key("id", ColumnKind.INT64), column("state", ColumnKind.TEXT));
    private static final String JSON_SEGMENTS = "SELECT DISTINCT column_name, compression FROM pragma_storage_info('_cellpipe.change_rows')"
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

    @Test
    void aOneTableChangeLogIsMovedIntoTheViewsTablesWithItsRowsInOrder() throws SQLException {
        Path file = directory.resolve("legacy.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA _cellpipe");
            statement.execute("CREATE TABLE _cellpipe.changes (cell_id VARCHAR NOT NULL, lsn VARCHAR NOT NULL, lsn_value UBIGINT NOT NULL,"
                    + " commit_ts TIMESTAMP WITH TIME ZONE, xid BIGINT, table_name VARCHAR NOT NULL, op VARCHAR NOT NULL, seq BIGINT NOT NULL,"
                    + " \"key\" JSON, \"before\" JSON, \"after\" JSON, uploaded_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            statement.execute("INSERT INTO _cellpipe.changes VALUES"
                    + " ('cell-1', '0/10', 16, '2026-01-01 00:00:00+00', 700, 'public.users', 'I', 0, '{\"id\":\"42\"}', NULL,"
                    + " '{\"id\":\"42\",\"state\":\"old-1\"}', '2026-01-01 00:00:01+00'),"
                    + " ('cell-1', '0/10', 16, '2026-01-01 00:00:00+00', 700, 'public.orders', 'I', 1, '{\"id\":\"1\"}', NULL,"
                    + " '{\"id\":\"1\"}', '2026-01-01 00:00:01+00'),"
                    + " ('cell-2', '0/10', 16, '2026-01-01 00:00:00+00', 9, 'public.users', 'I', 0, '{\"id\":\"42\"}', NULL,"
                    + " '{\"id\":\"42\",\"state\":\"other cell\"}', '2026-01-01 00:00:01+00'),"
                    + " ('cell-1', '0/20', 32, NULL, 701, 'public.users', 'U', 0, '{\"id\":\"42\"}', NULL,"
                    + " '{\"id\":\"42\",\"state\":\"old-2\"}', '2026-01-01 00:00:02+00')");
        }
        applyUpdates(file);

        assertThat(WarehouseFile.query(file, "SELECT cell_id, lsn, xid, table_name, op, seq, json_extract_string(\"after\", '$.state')"
                + " FROM _cellpipe.changes WHERE cell_id = 'cell-1' AND json_extract_string(\"key\", '$.id') IN ('42', '1')"
                + " AND xid >= 700 ORDER BY lsn_value, seq")).containsExactly(
                List.of("cell-1", "0/10", "700", "public.users", "I", "0", "old-1"),
                Arrays.asList("cell-1", "0/10", "700", "public.orders", "I", "1", null),
                List.of("cell-1", "0/20", "701", "public.users", "U", "0", "old-2"));
        assertThat(WarehouseFile.query(file, ChangeLogQueriesTest.HISTORY_OF_A_ROW.replace("cell-7", "cell-1")))
                .extracting(change -> change.get(4)).containsExactly("active", "state-1", "state-2", "old-1", "old-2");
        assertThat(WarehouseFile.query(file, "SELECT count(*) FROM _cellpipe.changes")).containsExactly(List.of("2006"));
        assertThat(WarehouseFile.query(file, "SELECT table_type FROM information_schema.tables WHERE table_schema = '_cellpipe'"
                + " AND table_name = 'changes'")).containsExactly(List.of("VIEW"));
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
