package io.cellpipe.duckdb;

import java.sql.SQLException;
import org.duckdb.DuckDBConnection;

/** cellpipe's own tables in the warehouse, in schema {@code _cellpipe}. */
final class ControlTables {
    static final String SCHEMA = "_cellpipe";
    static final String CHANGES = "changes";
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
                        + " snapshot_completed_at TIMESTAMP WITH TIME ZONE, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
                SqlTransaction.execute(connection, "CREATE TABLE IF NOT EXISTS " + STOPPED_TABLES + " (cell_id VARCHAR NOT NULL,"
                        + " table_name VARCHAR NOT NULL, reason VARCHAR NOT NULL, stopped_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                        + " PRIMARY KEY (cell_id, table_name))");
                SqlTransaction.execute(connection, ColumnFills.createSql());
                for (String sql : DuckDbCrossCellQueries.createSql()) {
                    SqlTransaction.execute(connection, sql);
                }
                SqlTransaction.execute(connection, PrivacyKeys.createSql());
                SqlTransaction.execute(connection, Resyncs.createSql());
                return null;
            });
        } catch (SQLException e) {
            throw new WarehouseException("cannot create cellpipe's tables (schema " + SCHEMA + ") in the DuckDB warehouse "
                    + warehouse.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The change log's JSON columns are compressed with zstd: DuckDB's default string compression
     * analyses and compresses every checkpointed segment several ways, which cost more than all else the
     * change log does, and JSON with its column names repeated in every row compresses ~4 times better
     * with zstd (docs/BENCHMARKS.md). A warehouse file of a storage version older than DuckDB 1.2's has
     * no zstd; there the table gets the default compression. An existing table keeps the one it has.
     */
    private static void createChangeLog(DuckDBConnection connection) throws SQLException {
        try {
            SqlTransaction.execute(connection, changeLogSql(true));
        } catch (SQLException e) {
            // DuckDB: "Can't compress using user-provided compression type 'ZSTD', that type is not available yet"
            if (!String.valueOf(e.getMessage()).contains("not available")) {
                throw e;
            }
            SqlTransaction.execute(connection, changeLogSql(false));
        }
    }

    private static String changeLogSql(boolean zstd) {
        String json = zstd ? " JSON USING COMPRESSION zstd" : " JSON";
        return "CREATE TABLE IF NOT EXISTS " + SCHEMA + "." + CHANGES + " (cell_id VARCHAR NOT NULL,"
                + " lsn VARCHAR NOT NULL, lsn_value UBIGINT NOT NULL, commit_ts TIMESTAMP WITH TIME ZONE, xid BIGINT,"
                + " table_name VARCHAR NOT NULL, op VARCHAR NOT NULL, seq BIGINT NOT NULL, \"key\"" + json + ", \"before\"" + json + ","
                + " \"after\"" + json + ", uploaded_at TIMESTAMP WITH TIME ZONE NOT NULL)";
    }
}
