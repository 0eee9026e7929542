package io.cellpipe.testing;

/** An embedded PostgreSQL cell could not be started, stopped or used; the message names the cell and what to do. */
public final class EmbeddedCellException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EmbeddedCellException(String message) {
        super(message);
    }

    public EmbeddedCellException(String message, Throwable cause) {
        super(message, cause);
    }
}
