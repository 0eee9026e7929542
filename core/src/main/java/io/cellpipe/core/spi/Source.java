package io.cellpipe.core.spi;

/**
 * Captures one cell. {@link #run} takes the snapshot if the destination has no checkpoint for the
 * cell, then streams committed transactions in commit order into the context until the context says
 * stop, acknowledging to the cell only what the context reports durable.
 */
public interface Source {
    String cellId();

    /** Runs until stopped or failed; a failure is retried by the caller with backoff. */
    void run(SourceContext context) throws Exception;
}
