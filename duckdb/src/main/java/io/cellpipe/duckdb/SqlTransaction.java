package io.cellpipe.duckdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs work in one explicit DuckDB transaction. Explicit BEGIN rather than JDBC's auto-commit
 * switch because the DuckDB appender only joins a transaction that a statement has already begun;
 * with the JDBC switch, rows appended first would be committed on their own.
 */
final class SqlTransaction {
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    private SqlTransaction() {
    }

    static <T> T run(Connection connection, Work<T> work) throws SQLException {
        execute(connection, "BEGIN TRANSACTION");
        T result;
        try {
            result = work.run();
            execute(connection, "COMMIT");
        } catch (SQLException | RuntimeException | Error e) {
            rollback(connection, e);
            throw e;
        }
        return result;
    }

    /** The open transaction's start, which is also what {@code current_timestamp} gives every statement in it. */
    static long startMicros(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); var result = statement.executeQuery("SELECT epoch_us(current_timestamp)")) {
            result.next();
            return result.getLong(1);
        }
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A failed COMMIT has already ended the transaction; then ROLLBACK fails too, which is fine. */
    private static void rollback(Connection connection, Throwable failure) {
        try {
            execute(connection, "ROLLBACK");
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                failure.addSuppressed(e);
            }
        }
    }
}
