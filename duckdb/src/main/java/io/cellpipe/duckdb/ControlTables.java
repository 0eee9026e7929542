package io.cellpipe.duckdb;

import java.sql.SQLException;
import org.duckdb.DuckDBConnection;

/** cellpipe's own tables in the warehouse, in schema {@code _cellpipe}. */
final class ControlTables {
    static final String SCHEMA = "_cellpipe";
    static final String CHANGES = "changes";
    static final String CHANGE_ROWS = SCHEMA + ".change_rows";
    static final String CHANGE_COMMITS = SCHEMA + ".change_commits";
    static final String CHANGE_TABLES = SCHEMA + ".change_tables";
    static final String CHECKPOINTS = SCHEMA + ".checkpoints";
    static final String STOPPED_TABLES = SCHEMA + ".stopped_tables";
    static final String RESYNCS = SCHEMA + ".resyncs";

    private ControlTables() {
    }

    static void create(Warehouse warehouse) {
        try (DuckDBConnection connection = warehouse.session()) {
            SqlTransaction.execute(connection, "CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            createChangeLog(connection);
            SqlTransaction.run(connection, () -> {
                SqlTransaction.execute(connection, "CREATE TABLE IF NOT EXISTS " + CHECKPOINTS + " (cell_id VARCHAR PRIMARY KEY,"
                        + " lsn VARCHAR NOT NULL, lsn_value UBIGINT NOT NULL, commit_ts TIMESTAMP WITH TIME ZONE,"
                        + " snapshot_completed_at TIMESTAMP WITH TIME ZONE, updated_at TIMESTAMP WITH TIME ZONE NOT NULL, records_acks BOOLEAN)");
                // NULL in a warehouse written before idle positions were recorded (CellCheckpoint.recordsAcknowledgements)
                SqlTransaction.execute(connection, "ALTER TABLE " + CHECKPOINTS + " ADD COLUMN IF NOT EXISTS records_acks BOOLEAN");
                SqlTransaction.execute(connection, "CREATE TABLE IF NOT EXISTS " + STOPPED_TABLES + " (cell_id VARCHAR NOT NULL,"
                        + " table_name VARCHAR NOT NULL, reason VARCHAR NOT NULL, stopped_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                        + " PRIMARY KEY (cell_id, table_name))");
                SqlTransaction.execute(connection, ColumnFills.createSql());
                for (String sql : DuckDbCrossCellQueries.createSql()) {
                    SqlTransaction.execute(connection, sql);
                }
                SqlTransaction.execute(connection, PrivacyKeys.createSql());
                SqlTransaction.execute(connection, Resyncs.createSql());
                Resyncs.migrate(connection);
                return null;
            });
        } catch (SQLException e) {
            throw new WarehouseException("cannot create cellpipe's tables (schema " + SCHEMA + ") in the DuckDB warehouse "
                    + warehouse.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The change log is stored in three tables, and {@code _cellpipe.changes} is a view that joins
     * them into one row per change: {@code change_rows} (per change: its transaction's number, its
     * position, its table's number, op, key, before and after), {@code change_commits} (per source
     * transaction: cell, LSN, commit time, xid, upload time) and {@code change_tables} (names). A
     * row per change with the transaction's and the table's columns in it cost DuckDB 1.4 to 2.2 µs
     * more per change (docs/BENCHMARKS.md). A warehouse whose change log is still one table has it
     * moved into this layout, in one transaction, when it opens.
     *
     * <p>The JSON columns are compressed with zstd: DuckDB's default string compression analyses
     * and compresses every checkpointed segment several ways, which cost more than all else the
     * change log does, and JSON with its column names repeated in every row compresses ~4 times
     * better with zstd (docs/BENCHMARKS.md). A warehouse file of a storage version older than
     * DuckDB 1.2's has no zstd; there the table gets the default compression. An existing table
     * keeps the one it has.
     */
    private static void createChangeLog(DuckDBConnection connection) throws SQLException {
        try {
            SqlTransaction.execute(connection, changeRowsSql(true));
        } catch (SQLException e) {
            // DuckDB: "Can't compress using user-provided compression type 'ZSTD', that type is not available yet"
            if (!String.valueOf(e.getMessage()).contains("not available")) {
                throw e;
            }
            SqlTransaction.execute(connection, changeRowsSql(false));
        }
        SqlTransaction.execute(connection, "CREATE TABLE IF NOT EXISTS " + CHANGE_COMMITS + " (commit_id BIGINT NOT NULL,"
                + " cell_id VARCHAR NOT NULL, lsn VARCHAR NOT NULL, lsn_value UBIGINT NOT NULL, commit_ts TIMESTAMP WITH TIME ZONE,"
                + " xid BIGINT, uploaded_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        SqlTransaction.execute(connection, "CREATE TABLE IF NOT EXISTS " + CHANGE_TABLES + " (table_id INTEGER NOT NULL,"
                + " table_name VARCHAR NOT NULL)");
        if (legacyChangeLog(connection)) {
            SqlTransaction.run(connection, () -> {
                moveLegacyChangeLog(connection);
                SqlTransaction.execute(connection, changesViewSql());
                return null;
            });
        } else {
            SqlTransaction.execute(connection, changesViewSql());
        }
    }

    private static String changeRowsSql(boolean zstd) {
        String json = zstd ? " JSON USING COMPRESSION zstd" : " JSON";
        return "CREATE TABLE IF NOT EXISTS " + CHANGE_ROWS + " (commit_id BIGINT NOT NULL, seq BIGINT NOT NULL, table_id INTEGER NOT NULL,"
                + " op VARCHAR NOT NULL, \"key\"" + json + ", \"before\"" + json + ", \"after\"" + json + ")";
    }

    private static String changesViewSql() {
        return "CREATE OR REPLACE VIEW " + SCHEMA + "." + CHANGES + " AS SELECT c.cell_id, c.lsn, c.lsn_value, c.commit_ts, c.xid,"
                + " t.table_name, r.op, r.seq, r.\"key\", r.\"before\", r.\"after\", c.uploaded_at FROM " + CHANGE_ROWS + " AS r"
                + " JOIN " + CHANGE_COMMITS + " AS c ON (r.commit_id = c.commit_id) JOIN " + CHANGE_TABLES + " AS t ON (r.table_id = t.table_id)";
    }

    /** Whether {@code _cellpipe.changes} is the one table the change log was before it was split. */
    private static boolean legacyChangeLog(DuckDBConnection connection) throws SQLException {
        try (var statement = connection.createStatement(); var result = statement.executeQuery("SELECT count(*) FROM duckdb_tables()"
                + " WHERE schema_name = '" + SCHEMA + "' AND table_name = '" + CHANGES + "' AND NOT temporary")) {
            result.next();
            return result.getLong(1) > 0;
        }
    }

    /**
     * Moves the one-table change log's rows into the three tables and drops it. Transactions are numbered in the
     * order they were loaded; the rows keep the order they were appended in (DuckDB preserves insertion order), so
     * a large log is not sorted.
     */
    private static void moveLegacyChangeLog(DuckDBConnection connection) throws SQLException {
        String legacy = SCHEMA + "." + CHANGES;
        SqlTransaction.execute(connection, "INSERT INTO " + CHANGE_TABLES + " SELECT row_number() OVER (ORDER BY table_name), table_name"
                + " FROM (SELECT DISTINCT table_name FROM " + legacy + ")");
        SqlTransaction.execute(connection, "CREATE TEMP TABLE cellpipe_legacy_commits AS SELECT row_number() OVER (ORDER BY uploaded_at,"
                + " lsn_value, cell_id, xid, commit_ts, lsn) AS commit_id, * FROM (SELECT DISTINCT cell_id, lsn, lsn_value, commit_ts, xid,"
                + " uploaded_at FROM " + legacy + ")");
        SqlTransaction.execute(connection, "INSERT INTO " + CHANGE_COMMITS + " SELECT * FROM cellpipe_legacy_commits ORDER BY commit_id");
        SqlTransaction.execute(connection, "INSERT INTO " + CHANGE_ROWS + " SELECT c.commit_id, l.seq, t.table_id, l.op, l.\"key\","
                + " l.\"before\", l.\"after\" FROM " + legacy + " AS l JOIN cellpipe_legacy_commits AS c ON (l.cell_id = c.cell_id"
                + " AND l.lsn = c.lsn AND l.lsn_value = c.lsn_value AND l.commit_ts IS NOT DISTINCT FROM c.commit_ts"
                + " AND l.xid IS NOT DISTINCT FROM c.xid AND l.uploaded_at = c.uploaded_at) JOIN " + CHANGE_TABLES + " AS t"
                + " ON (l.table_name = t.table_name)");
        SqlTransaction.execute(connection, "DROP TABLE cellpipe_legacy_commits");
        SqlTransaction.execute(connection, "DROP TABLE " + legacy);
    }
}
