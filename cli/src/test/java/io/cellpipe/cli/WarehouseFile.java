package io.cellpipe.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads a DuckDB warehouse file directly, with its own read-only DuckDB instance and the session
 * time zone set to UTC. Only while no destination has the file open: this is the check that does
 * not go through the product's own verification code.
 */
final class WarehouseFile {
    private final Path file;

    WarehouseFile(Path file) {
        this.file = file;
    }

    /** Each row as column label to {@link ResultSet#getObject} value. */
    List<Map<String, Object>> rows(String sql) {
        return query(sql, result -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(result.getMetaData().getColumnLabel(i), result.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        });
    }

    /** The one row the query must return. */
    Map<String, Object> row(String sql) {
        List<Map<String, Object>> rows = rows(sql);
        if (rows.size() != 1) {
            throw new AssertionError("expected exactly one row from the warehouse, got " + rows.size() + ": " + sql + "\n" + rows);
        }
        return rows.get(0);
    }

    long count(String sql) {
        return ((Number) row(sql).values().iterator().next()).longValue();
    }

    interface Reader<T> {
        T read(ResultSet result) throws SQLException;
    }

    <T> T query(String sql, Reader<T> reader) {
        Properties properties = new Properties();
        properties.setProperty("duckdb.read_only", "true");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), properties);
                Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            try (ResultSet result = statement.executeQuery(sql)) {
                return reader.read(result);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot query the warehouse file " + file.getFileName() + ": " + sql + ": " + e.getMessage(), e);
        }
    }
}
