package io.cellpipe.duckdb;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.Transaction;
import java.time.Instant;

/**
 * What every row written for one transaction carries, computed once per transaction rather than
 * once per row. {@code commitMicros} is null for snapshot rows, which have no commit.
 */
record CommitStamp(String cellId, long xid, Lsn lsn, String lsnText, Long commitMicros) {
    CommitStamp {
        requireNonNull(cellId, "cellId is null");
        requireNonNull(lsn, "lsn is null");
        requireNonNull(lsnText, "lsnText is null");
    }

    static CommitStamp of(Transaction transaction) {
        return new CommitStamp(transaction.cellId(), transaction.xid(), transaction.commitLsn(), transaction.commitLsn().toString(),
                micros(transaction.commitTime()));
    }

    /** Snapshot rows: no commit, LSN 0/0 (before anything streamed). */
    static CommitStamp snapshot(String cellId) {
        return new CommitStamp(cellId, 0, Lsn.ZERO, Lsn.ZERO.toString(), null);
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }
}
