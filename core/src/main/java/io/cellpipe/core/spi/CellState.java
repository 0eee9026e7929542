package io.cellpipe.core.spi;

/** Where a cell's capture stands. */
public enum CellState {
    STARTING,
    SNAPSHOTTING,
    STREAMING,
    /** Failed; retried with backoff. */
    RETRYING,
    /** Stopped for a reason that needs an operator (bad config, missing privilege). */
    FAILED,
    STOPPED;
}
