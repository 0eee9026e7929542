package io.cellpipe.duckdb;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.Change;
import java.sql.SQLException;
import org.duckdb.DuckDBConnection;

/**
 * The rows a batch writes to one warehouse table, collected in memory and written with one
 * set-based statement per flush. Flushing early (a truncate, a memory bound) is always correct:
 * each flush applies on top of the previous ones, inside the batch's transaction.
 */
interface TableBuffer {
    /** Whether rows of this shape can share the buffer (same key columns). */
    boolean accepts(TableBinding binding);

    /** Adds an insert, update, delete or read; not a truncate. */
    void add(Change change, TableBinding binding, CommitStamp stamp);

    int size();

    /**
     * Hands the buffered rows over as one write and empties the buffer; null when it is empty.
     * A buffer has no connection, so a batch's rows can be coalesced on one thread while the
     * writes already handed over run on another, in order.
     */
    Write drain();

    /** Writes the buffered rows to the warehouse table now and empties the buffer. */
    default void flush(DuckDBConnection connection) throws SQLException {
        Write write = drain();
        if (write != null) {
            write.run(connection);
        }
    }

    /** Rows drained from a buffer, written to its warehouse table by {@link #run}. */
    record Write(int rows, Statements statements) {
        public Write {
            if (rows < 1) {
                throw new IllegalArgumentException("a write has rows, not " + rows);
            }
            requireNonNull(statements, "statements is null");
        }

        /**
         * @throws io.cellpipe.core.spi.TableFailureException if a value of one cell's rows cannot be stored
         * @throws WarehouseException if DuckDB fails otherwise
         */
        void run(DuckDBConnection connection) throws SQLException {
            statements.run(connection);
        }
    }

    /** What writes drained rows on a connection. */
    @FunctionalInterface
    interface Statements {
        void run(DuckDBConnection connection) throws SQLException;
    }
}
