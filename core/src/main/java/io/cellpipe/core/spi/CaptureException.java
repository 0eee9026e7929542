package io.cellpipe.core.spi;

/**
 * A cell cannot be captured. {@code retriable} distinguishes a cell that is down or restarting
 * (retried with backoff) from one that needs an operator (wrong setting, missing privilege).
 */
public final class CaptureException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean retriable;

    public CaptureException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    public CaptureException(String message, boolean retriable) {
        this(message, retriable, null);
    }

    public boolean retriable() {
        return retriable;
    }
}
