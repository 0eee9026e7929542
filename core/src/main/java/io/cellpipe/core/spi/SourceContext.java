package io.cellpipe.core.spi;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.Transaction;
import java.time.Instant;
import java.util.Optional;

/** What a running {@link Source} can see of the pipeline. */
public interface SourceContext {
    /** The destination's checkpoint for this cell; empty means a snapshot is needed. */
    Optional<CellCheckpoint> checkpoint();

    /** The destination, for loading a snapshot directly. */
    Destination destination();

    /** Hands a committed transaction over for applying; blocks while the pipeline is full. */
    boolean offer(Transaction transaction) throws InterruptedException;

    /** The highest commit LSN of this cell durable in the destination. */
    Lsn durableLsn();

    /** Whether transactions handed over are still waiting to be applied. */
    boolean hasPending();

    /** False once the pipeline is stopping; the source returns promptly. */
    boolean running();

    /** Reports a state change (shown in logs and status). */
    void state(CellState state, String detail);

    /** Counts progress, e.g. snapshot rows; {@code rowsEstimated} is negative when unknown. */
    default void snapshotProgress(String table, long rowsDone, long rowsEstimated) {
    }

    /**
     * Tells that the destination holds everything the cell committed up to {@code sourceTime} (on
     * the cell's clock), e.g. when a heartbeat arrived with nothing handed over left to apply. This
     * keeps an idle cell's freshness current.
     */
    default void currentAsOf(Instant sourceTime) {
    }

    /**
     * Stops loading a table of this cell, with the reason (shown by status, alerts and verify, and
     * kept by the destination across restarts), for a cause the source finds in the stream.
     */
    default void tableStopped(TableId table, String reason) {
    }
}
