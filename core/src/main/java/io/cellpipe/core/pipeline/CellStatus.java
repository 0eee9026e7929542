package io.cellpipe.core.pipeline;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.spi.CellState;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live state of one cell, written by its runner and by the applier, read by anyone.
 * Fields are volatile or atomic; readers tolerate a torn view across fields. The counters of
 * applied changes have one writer, the applier.
 */
final class CellStatus {
    private final String cellId;
    private volatile CellState state = CellState.STARTING;
    private volatile String detail = "";
    private volatile String lastError;
    private final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
    /** Written by the applier and by the cell's thread (from the checkpoint); only ever moves forward. */
    private final java.util.concurrent.atomic.AtomicReference<Lsn> appliedLsn = new java.util.concurrent.atomic.AtomicReference<>(Lsn.ZERO);
    private volatile Instant lastCommitTime;
    private volatile long changesApplied;
    private volatile long transactionsApplied;
    private volatile double lagSeconds;
    private final Map<String, Long> snapshotRows = new ConcurrentHashMap<>();
    private final Map<String, String> stoppedTables = new ConcurrentHashMap<>();

    CellStatus(String cellId) {
        this.cellId = cellId;
    }

    void state(CellState state, String detail) {
        this.state = state;
        this.detail = detail;
        if (state == CellState.SNAPSHOTTING) {
            snapshotRows.clear();
        }
    }

    CellState state() {
        return state;
    }

    void failed(String error) {
        this.lastError = error;
        attempts.incrementAndGet();
    }

    void recovered() {
        attempts.set(0);
    }

    int attempts() {
        return attempts.get();
    }

    void applied(Lsn lsn, Instant commitTime, long changes, Instant now) {
        appliedLsn(lsn);
        lastCommitTime = commitTime;
        changesApplied += changes;
        transactionsApplied++;
        lagSeconds = Math.max(0, (now.toEpochMilli() - commitTime.toEpochMilli()) / 1000.0);
    }

    Lsn appliedLsn() {
        return appliedLsn.get();
    }

    void appliedLsn(Lsn lsn) {
        appliedLsn.accumulateAndGet(lsn, Lsn::max);
    }

    void snapshotRows(String table, long rows) {
        snapshotRows.put(table, rows);
    }

    void tableStopped(String table, String reason) {
        stoppedTables.put(table, reason);
    }

    boolean isStopped(String table) {
        return stoppedTables.containsKey(table);
    }

    boolean hasStoppedTables() {
        return !stoppedTables.isEmpty();
    }

    CellReport report() {
        return new CellReport(cellId, state, detail, lastError, attempts.get(), appliedLsn.get(), lastCommitTime, changesApplied, transactionsApplied,
                lagSeconds, new TreeMap<>(snapshotRows), new TreeMap<>(stoppedTables));
    }
}
