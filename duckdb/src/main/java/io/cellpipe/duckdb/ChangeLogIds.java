package io.cellpipe.duckdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The numbers the change log's rows refer to: one per source transaction ({@code change_commits})
 * and one per table name ({@code change_tables}). Read from the warehouse on first use; an applier
 * whose batch failed starts a new instance, since the failed batch's new names were rolled back.
 * Numbers of transactions only grow, so none is used twice while its rows exist.
 */
final class ChangeLogIds {
    private boolean loaded;
    private long lastCommit;
    private int lastTable;
    private final Map<String, Integer> tables = new HashMap<>();

    long nextCommit(Connection connection) throws SQLException {
        load(connection);
        return ++lastCommit;
    }

    /** The name's number, recorded in {@code change_tables} in the open transaction when new. */
    int table(Connection connection, String name) throws SQLException {
        load(connection);
        Integer id = tables.get(name);
        if (id == null) {
            id = ++lastTable;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + ControlTables.CHANGE_TABLES + " VALUES (?, ?)")) {
                insert.setInt(1, id);
                insert.setString(2, name);
                insert.executeUpdate();
            }
            tables.put(name, id);
        }
        return id;
    }

    private void load(Connection connection) throws SQLException {
        if (loaded) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            try (ResultSet result = statement.executeQuery("SELECT coalesce(max(commit_id), 0) FROM " + ControlTables.CHANGE_COMMITS)) {
                result.next();
                lastCommit = result.getLong(1);
            }
            try (ResultSet result = statement.executeQuery("SELECT table_id, table_name FROM " + ControlTables.CHANGE_TABLES)) {
                while (result.next()) {
                    tables.put(result.getString(2), result.getInt(1));
                    lastTable = Math.max(lastTable, result.getInt(1));
                }
            }
        }
        loaded = true;
    }
}
