package io.cellpipe.duckdb;

import io.cellpipe.core.model.TableId;
import io.cellpipe.core.spi.TableFailureException;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * Turns DuckDB's error for a write into one that says which table and cells, and whether just
 * the table should stop: a value that does not convert to its column's type fails the same way on
 * every retry, so when one cell's rows are involved the table of that cell stops and the rest goes on.
 */
final class WriteFailure {
    /** DuckDB quotes an offending value ('x', or "x" in some conversion errors); values may be red data and must not reach logs. */
    private static final Pattern VALUE = Pattern.compile("'[^\n]*'");
    private static final Pattern CONVERSION_VALUE = Pattern.compile("'[^\n]*'|\"[^\n]*\"");

    private WriteFailure() {
    }

    /**
     * @param cellId the only cell whose rows were written, or null if several
     * @param action what was done to the table, e.g. "write 12 rows to"
     */
    static RuntimeException of(SQLException e, TableId table, String cellId, String action) {
        String message = String.valueOf(e.getMessage());
        String where = (cellId == null ? "several cells" : cellId) + ": cannot " + action + " warehouse table " + table;
        if (cellId != null && message.startsWith("Conversion Error")) {
            return new TableFailureException(cellId, table, where + ": a value does not convert to its warehouse column's type ("
                    + firstLine(message) + "). Nothing of the batch was written. Migrate the warehouse column to a type that holds"
                    + " the value, then copy the cell again (cellpipe run --resnapshot " + cellId + ").", e);
        }
        return new WarehouseException(where + ": " + firstLine(message) + ". Nothing of the batch was written.", e);
    }

    static TableFailureException unreadableValue(IllegalArgumentException e, TableId table, String cellId) {
        return new TableFailureException(cellId, table, cellId + ": a value of " + table + " cannot be read: " + e.getMessage()
                + ". Nothing of the batch was written; exclude the table or fix the capture session settings.", e);
    }

    /** DuckDB's first line, without the quoted value and the SQL excerpt that follow. */
    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline).trim();
        Pattern value = line.startsWith("Conversion Error") ? CONVERSION_VALUE : VALUE;
        return value.matcher(line).replaceAll("(value not shown)");
    }
}
