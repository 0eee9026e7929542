package io.cellpipe.core.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One committed source transaction of one cell. {@code commitLsn} is the end of its commit record:
 * the position a destination checkpoints and the cell is acknowledged up to once it is durable.
 * {@code resync} is set on the chunk of a resync (its rows are the changes): the destination
 * records the resync's progress in the same transaction as the rows; null for source transactions.
 */
public record Transaction(String cellId, long xid, Lsn commitLsn, Instant commitTime, ChangeBuffer changes, ResyncProgress resync)
        implements AutoCloseable {
    public Transaction {
        requireNonNull(cellId, "cellId is null");
        requireNonNull(commitLsn, "commitLsn is null");
        requireNonNull(commitTime, "commitTime is null");
        requireNonNull(changes, "changes is null");
    }

    public Transaction(String cellId, long xid, Lsn commitLsn, Instant commitTime, ChangeBuffer changes) {
        this(cellId, xid, commitLsn, commitTime, changes, null);
    }

    /**
     * A position only: nothing to apply, but the destination records {@code commitLsn} as the cell's
     * checkpoint, so the source may acknowledge its slot up to it (heartbeats, transactions with nothing
     * captured). {@code commitTime} is that of the cell's last real commit, which the checkpoint keeps.
     */
    public static Transaction position(String cellId, Lsn lsn, Instant lastCommitTime) {
        return new Transaction(cellId, 0, lsn, lastCommitTime, ChangeBuffer.inMemory(), null);
    }

    /** Whether this is a {@link #position}: no changes and no resync chunk. */
    public boolean isPosition() {
        return resync == null && changes.isEmpty();
    }

    @Override
    public void close() {
        changes.close();
    }
}
