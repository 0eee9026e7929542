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
            SqlTransaction.run(connection, () -> {
                SqlTransaction.execute(connection, "CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
                SqlTransaction.execute(connection, "CREATE TABLE IF NOT EXISTS " + SCHEMA + "." + CHANGES + " (cell_id VARCHAR NOT NULL,"
                        + " lsn VARCHAR NOT NULL, lsn_value UBIGINT NOT NULL, commit_ts TIMESTAMP WITH TIME ZONE, xid BIGINT,"
                        + " table_name VARCHAR NOT NULL, op VARCHAR NOT NULL, seq BIGINT NOT NULL, \"key\" JSON, \"before\" JSON,"
                        + " \"after\" JSON, uploaded_at TIMESTAMP WITH TIME ZONE NOT NULL)");
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
}
