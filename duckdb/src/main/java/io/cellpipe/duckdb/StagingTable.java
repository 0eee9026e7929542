package io.cellpipe.duckdb;

import java.sql.SQLException;
import java.util.Arrays;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * A connection's temporary table that rows are bulk-appended to (with the DuckDB appender, as
 * text) before one set-based statement moves them into a warehouse table, casting each column.
 * Columns: {@code _cell_id, c1..cN} (warehouse positions 0..N-1), then the row's metadata, keep
 * flags and origin key, and {@code _in_warehouse}, which an upsert sets on the staged rows whose
 * cell and key the warehouse table already has.
 */
final class StagingTable {
    private final String name;
    private int width = -1;

    StagingTable(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    static String value(int position) {
        return "c" + (position + 1);
    }

    /** Creates the table for {@code width} source columns unless it has that shape; outside any transaction. */
    void prepare(DuckDBConnection connection, int width) throws SQLException {
        if (this.width == width) {
            return;
        }
        StringBuilder create = new StringBuilder("CREATE OR REPLACE TEMP TABLE ").append(name).append(" (_cell_id VARCHAR");
        for (int position = 0; position < width; position++) {
            create.append(", ").append(value(position)).append(" VARCHAR");
        }
        create.append(", _op VARCHAR, _lsn VARCHAR, _lsn_value UBIGINT, _commit_ts TIMESTAMP WITH TIME ZONE, _deleted BOOLEAN,"
                + " _keep BOOLEAN[], _origin VARCHAR[], _in_warehouse BOOLEAN)");
        SqlTransaction.execute(connection, create.toString());
        this.width = width;
    }

    /** Appends the rows; returns how many moved from another key (have an origin). */
    int append(DuckDBConnection connection, Iterable<StagedRow> rows) throws SQLException {
        int moved = 0;
        try (DuckDBAppender appender = connection.createAppender("temp", "main", name)) {
            for (StagedRow row : rows) {
                if (row.values.length != width) {
                    throw new IllegalStateException("a row of " + row.values.length + " columns was staged into " + name + " of "
                            + width + " columns; this is a bug in cellpipe");
                }
                appender.beginRow().append(row.cellId);
                for (String value : row.values) {
                    if (value == null) {
                        appender.appendNull();
                    } else {
                        appender.append(value);
                    }
                }
                // UBIGINT takes the LSN's 64 bits as they are, so values past 2^63 stay right
                appender.append(row.op.code()).append(row.stamp.lsnText()).append(row.stamp.lsn().value());
                if (row.stamp.commitMicros() == null) {
                    appender.appendNull();
                } else {
                    appender.appendEpochMicros(row.stamp.commitMicros());
                }
                appender.append(row.deleted);
                if (row.keepsAny()) {
                    appender.append(row.keepFlags());
                } else {
                    appender.appendNull();
                }
                if (row.origin() == null) {
                    appender.appendNull();
                } else {
                    appender.append(Arrays.asList(row.origin()));
                    moved++;
                }
                appender.appendNull().endRow();
            }
        }
        return moved;
    }

    void clear(DuckDBConnection connection) throws SQLException {
        SqlTransaction.execute(connection, "DELETE FROM " + name);
    }
}
