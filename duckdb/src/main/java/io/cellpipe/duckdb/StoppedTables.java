package io.cellpipe.duckdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** {@code _cellpipe.stopped_tables}: tables of a cell that stopped loading, and why. */
final class StoppedTables {
    private StoppedTables() {
    }

    static void record(Connection connection, String cellId, String table, String reason) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + ControlTables.STOPPED_TABLES
                + " (cell_id, table_name, reason, stopped_at) VALUES (?, ?, ?, current_timestamp)"
                + " ON CONFLICT (cell_id, table_name) DO UPDATE SET reason = excluded.reason, stopped_at = excluded.stopped_at")) {
            statement.setString(1, cellId);
            statement.setString(2, table);
            statement.setString(3, reason);
            statement.executeUpdate();
        }
    }

    static Map<String, Map<String, String>> read(Connection connection) throws SQLException {
        Map<String, Map<String, String>> stopped = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT cell_id, table_name, reason FROM "
                + ControlTables.STOPPED_TABLES + " ORDER BY cell_id, table_name");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                stopped.computeIfAbsent(rows.getString(1), cell -> new TreeMap<>()).put(rows.getString(2), rows.getString(3));
            }
        }
        return stopped;
    }

    /** A cell copied again starts with every table loading. */
    static void forget(Connection connection, String cellId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + ControlTables.STOPPED_TABLES + " WHERE cell_id = ?")) {
            statement.setString(1, cellId);
            statement.executeUpdate();
        }
    }
}
