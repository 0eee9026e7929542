package io.cellpipe.duckdb;

import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.verify.VerifyRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.duckdb.DuckDBConnection;

/**
 * Streams one cell's rows of one warehouse table for verification, soft-deleted rows included,
 * in key order, each value as canonical text. Holds a connection until exhausted or closed.
 */
final class WarehouseScan implements Iterator<VerifyRow>, AutoCloseable {
    private final String cellId;
    private final TableSchema schema;
    private final DuckDBConnection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final ColumnKind[] kinds;
    private boolean ready;
    private boolean done;

    private WarehouseScan(String cellId, TableSchema schema, DuckDBConnection connection, PreparedStatement statement, ResultSet rows) {
        this.cellId = cellId;
        this.schema = schema;
        this.connection = connection;
        this.statement = statement;
        this.rows = rows;
        this.kinds = schema.columns().stream().map(column -> column.type().kind()).toArray(ColumnKind[]::new);
    }

    /** An empty scan if the warehouse has no such table. */
    static Iterator<VerifyRow> open(Warehouse warehouse, WarehouseCatalog catalog, String cellId, TableSchema schema) {
        return open(warehouse, catalog, cellId, schema, null);
    }

    /** Only the rows matching {@code predicate} (SQL on the warehouse table), or all when it is null. */
    static Iterator<VerifyRow> open(Warehouse warehouse, WarehouseCatalog catalog, String cellId, TableSchema schema, String predicate) {
        WarehouseTable table = catalog.table(schema.id()).orElse(null);
        if (table == null) {
            return new EmptyScan();
        }
        DuckDBConnection connection = null;
        PreparedStatement statement = null;
        try {
            connection = warehouse.session();
            statement = connection.prepareStatement(sql(table, schema, predicate));
            statement.setString(1, cellId);
            return new WarehouseScan(cellId, schema, connection, statement, statement.executeQuery());
        } catch (SQLException e) {
            closeQuietly(statement, connection);
            throw new WarehouseException(cellId + ": cannot read warehouse table " + schema.id() + " for verification: " + e.getMessage(), e);
        }
    }

    /** Columns of the schema the warehouse lacks read as NULL. */
    static String sql(WarehouseTable table, TableSchema schema) {
        return sql(table, schema, null);
    }

    static String sql(WarehouseTable table, TableSchema schema, String predicate) {
        List<String> select = new ArrayList<>();
        List<String> order = new ArrayList<>();
        boolean keyed = schema.hasKey();
        for (Column column : schema.columns()) {
            int position = table.indexOf(column.name());
            if (position < 0) {
                select.add("NULL");
                continue;
            }
            WarehouseColumn stored = table.column(position);
            select.add(DuckDbTypes.canonicalText(stored.quoted(), stored.sqlType()));
            if (!keyed || column.key()) {
                // verification orders unconstrained numeric keys by value; they are stored as text
                if (column.type().kind() == ColumnKind.NUMERIC_TEXT && stored.sqlType().equals(DuckDbTypes.VARCHAR)) {
                    order.add("TRY_CAST(" + stored.quoted() + " AS DOUBLE) NULLS LAST");
                }
                order.add(stored.quoted() + " NULLS LAST");
            }
        }
        if (!keyed) {
            // rows without a key can be equal; live before deleted keeps the order stable
            order.add("\"_deleted\"");
        }
        return "SELECT " + String.join(", ", select) + ", \"_deleted\" FROM " + table.quotedName() + " WHERE _cell_id = ?"
                // an append-only table's truncated rows are history, neither rows nor deletions
                + (keyed ? "" : " AND \"_op\" <> 't'")
                + (predicate == null ? "" : " AND (" + predicate + ")")
                + (order.isEmpty() ? "" : " ORDER BY " + String.join(", ", order));
    }

    @Override
    public boolean hasNext() {
        if (done) {
            return false;
        }
        if (!ready) {
            try {
                ready = rows.next();
            } catch (SQLException e) {
                close();
                throw new WarehouseException(cellId + ": cannot read warehouse table " + schema.id() + " for verification: " + e.getMessage(), e);
            }
            if (!ready) {
                close();
                return false;
            }
        }
        return true;
    }

    @Override
    public VerifyRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ready = false;
        try {
            String[] values = new String[kinds.length];
            for (int i = 0; i < kinds.length; i++) {
                values[i] = StagedValue.fromDuckDb(kinds[i], rows.getString(i + 1));
            }
            return new VerifyRow(Arrays.asList(values), rows.getBoolean(kinds.length + 1));
        } catch (SQLException e) {
            close();
            throw new WarehouseException(cellId + ": cannot read warehouse table " + schema.id() + " for verification: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!done) {
            done = true;
            closeQuietly(rows, statement, connection);
        }
    }

    private static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // reading is over; nothing depends on the close
                }
            }
        }
    }

    private static final class EmptyScan implements Iterator<VerifyRow>, AutoCloseable {
        @Override
        public boolean hasNext() {
            return false;
        }

        @Override
        public VerifyRow next() {
            throw new NoSuchElementException();
        }

        @Override
        public void close() {
        }
    }
}
