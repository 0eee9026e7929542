package io.cellpipe.core.pipeline;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.spi.CellState;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live state of one cell, written by its runner and by the applier, read by anyone.
 * Fields are volatile or concurrent: each has one writer, readers tolerate a torn view across fields.
 */
final class CellStatus {
    private final String cellId;
    private volatile CellState state = CellState.STARTING;
    private volatile String detail = "";
    private volatile String lastError;
    private volatile int attempts;
    private volatile Lsn appliedLsn = Lsn.ZERO;
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
        this.attempts++;
    }

    void recovered() {
        this.attempts = 0;
    }

    int attempts() {
        return attempts;
    }

    void applied(Lsn lsn, Instant commitTime, long changes, Instant now) {
        appliedLsn = lsn;
        lastCommitTime = commitTime;
        changesApplied += changes;
        transactionsApplied++;
        lagSeconds = Math.max(0, (now.toEpochMilli() - commitTime.toEpochMilli()) / 1000.0);
    }

    Lsn appliedLsn() {
        return appliedLsn;
    }

    void appliedLsn(Lsn lsn) {
        if (lsn.isAfter(appliedLsn)) {
            appliedLsn = lsn;
        }
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
        return new CellReport(cellId, state, detail, lastError, attempts, appliedLsn, lastCommitTime, changesApplied, transactionsApplied,
                lagSeconds, new TreeMap<>(snapshotRows), new TreeMap<>(stoppedTables));
    }
}
