package io.cellpipe.duckdb;

import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.TableSchema;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.duckdb.DuckDBConnection;

/**
 * Which columns of each table each cell's warehouse rows already account for. When a cell's
 * stream first shows a column added with a constant default ({@link Column#missingValue()}),
 * PostgreSQL wrote no change for the rows that existed before: they read as that default at the
 * source, so the warehouse sets it on that cell's rows that still lack the column, in the same
 * transaction as the batch, and records that it did so (so a restart does not do it again).
 * A snapshot accounts for every column it copied.
 */
final class ColumnFills {
    static final String TABLE = ControlTables.SCHEMA + ".cell_columns";

    /** Keys are cell + NUL + table; values are column names. Read while a batch is prepared; updated after its commit. */
    private final Map<String, Set<String>> known = new ConcurrentHashMap<>();
    private final Map<TableSchema, Set<String>> checkedForCell = new ConcurrentHashMap<>();

    static ColumnFills load(DuckDBConnection connection) throws SQLException {
        ColumnFills fills = new ColumnFills();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT cell_id, table_name, column_name FROM " + TABLE)) {
            while (rows.next()) {
                fills.columns(rows.getString(1), rows.getString(2)).add(rows.getString(3));
            }
        }
        return fills;
    }

    static String createSql() {
        return "CREATE TABLE IF NOT EXISTS " + TABLE + " (cell_id VARCHAR NOT NULL, table_name VARCHAR NOT NULL,"
                + " column_name VARCHAR NOT NULL, PRIMARY KEY (cell_id, table_name, column_name))";
    }

    /** The columns of {@code schema} this cell's rows do not account for yet; cheap once checked. */
    List<Column> unaccounted(String cellId, TableSchema schema) {
        Set<String> cells = checkedForCell.get(schema);
        if (cells != null && cells.contains(cellId)) {
            return List.of();
        }
        Set<String> have = columns(cellId, schema.id().qualified());
        List<Column> missing = new ArrayList<>();
        for (Column column : schema.columns()) {
            if (!have.contains(column.name())) {
                missing.add(column);
            }
        }
        if (missing.isEmpty()) {
            checkedForCell.computeIfAbsent(schema, ignored -> ConcurrentHashMap.newKeySet()).add(cellId);
        }
        return missing;
    }

    /**
     * Within the caller's transaction: fills the cell's rows that lack {@code column} with its
     * missing value, if it has one, and records the column as accounted for.
     */
    void fill(DuckDBConnection connection, String cellId, TableSchema schema, Column column, WarehouseTable table) throws SQLException {
        int position = table.indexOf(column.name());
        if (column.missingValue() != null && position >= 0) {
            WarehouseColumn stored = table.column(position);
            String sql = "UPDATE " + table.quotedName() + " SET " + stored.quoted() + " = "
                    + DuckDbTypes.castFromText("?", stored.sqlType()) + " WHERE _cell_id = ? AND " + stored.quoted() + " IS NULL";
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                update.setString(1, StagedValue.of(column.type().kind(), column.missingValue()));
                update.setString(2, cellId);
                update.executeUpdate();
            }
        }
        record(connection, cellId, schema.id().qualified(), List.of(column.name()));
    }

    /** Within the caller's transaction: the cell's rows account for every column of these tables (a snapshot). */
    void recordAll(DuckDBConnection connection, String cellId, List<TableSchema> tables) throws SQLException {
        try (PreparedStatement forget = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE cell_id = ?")) {
            forget.setString(1, cellId);
            forget.executeUpdate();
        }
        for (TableSchema table : tables) {
            record(connection, cellId, table.id().qualified(), table.columns().stream().map(Column::name).toList());
        }
    }

    /** After a commit: remember what the committed transaction recorded. */
    void committed(String cellId, String table, List<String> columns) {
        columns(cellId, table).addAll(columns);
    }

    /** After a committed snapshot start: the cell's record was replaced. */
    void replaced(String cellId, List<TableSchema> tables) {
        known.keySet().removeIf(key -> key.startsWith(cellId + "\0"));
        checkedForCell.values().forEach(cells -> cells.remove(cellId));
        for (TableSchema table : tables) {
            committed(cellId, table.id().qualified(), table.columns().stream().map(Column::name).toList());
        }
    }

    private static void record(DuckDBConnection connection, String cellId, String table, List<String> columns) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT OR IGNORE INTO " + TABLE + " VALUES (?, ?, ?)")) {
            for (String column : columns) {
                insert.setString(1, cellId);
                insert.setString(2, table);
                insert.setString(3, column);
                insert.executeUpdate();
            }
        }
    }

    private Set<String> columns(String cellId, String table) {
        return known.computeIfAbsent(cellId + "\0" + table, ignored -> ConcurrentHashMap.newKeySet());
    }
}
