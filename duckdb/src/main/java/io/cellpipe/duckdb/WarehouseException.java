package io.cellpipe.duckdb;

/**
 * The warehouse refused a read or write. The message names the table or cell and what was being
 * done; the cause is DuckDB's own error. Nothing of a failed write was committed.
 */
public final class WarehouseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WarehouseException(String message, Throwable cause) {
        super(message, cause);
    }
}
