package io.cellpipe.duckdb;

import io.cellpipe.core.model.Change;
import java.sql.SQLException;

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
     * Writes the buffered rows to the warehouse table and empties the buffer.
     *
     * @throws io.cellpipe.core.spi.TableFailureException if a value of one cell's rows cannot be stored
     * @throws WarehouseException if DuckDB fails otherwise
     */
    void flush() throws SQLException;
}
