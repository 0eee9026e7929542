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

    @Override
    public void close() {
        changes.close();
    }
}
