package io.cellpipe.testing;

/** A workload operation failed; the message names the operation number and kind, and the cause is kept. */
public final class WorkloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WorkloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
