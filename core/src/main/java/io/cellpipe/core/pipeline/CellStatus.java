package io.cellpipe.core.pipeline;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.Operation;
import io.cellpipe.core.spi.CellState;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

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
    private final Map<String, Long> snapshotEstimates = new ConcurrentHashMap<>();
    private volatile Instant snapshotStarted;
    private final Map<String, String> stoppedTables = new ConcurrentHashMap<>();
    /** Written by the applier and by the cell's thread (heartbeats); only ever moves forward. */
    private final AtomicReference<Instant> currentAsOf = new AtomicReference<>();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong runs = new AtomicLong();
    /** Per table, changes applied indexed by {@link Operation#ordinal}; one writer, the applier. */
    private final Map<String, AtomicLongArray> tableChanges = new ConcurrentHashMap<>();

    CellStatus(String cellId) {
        this.cellId = cellId;
    }

    void state(CellState state, String detail) {
        this.state = state;
        this.detail = detail;
        if (state == CellState.SNAPSHOTTING) {
            snapshotRows.clear();
            snapshotEstimates.clear();
            snapshotStarted = Instant.now();
        }
    }

    CellState state() {
        return state;
    }

    void failed(String error) {
        this.lastError = error;
        attempts.incrementAndGet();
        errors.incrementAndGet();
    }

    /** A run of the capture begins; every run after the first is a reconnect. */
    void runStarted() {
        runs.incrementAndGet();
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
        currentAsOf(commitTime);
    }

    /** The warehouse holds everything the cell committed up to {@code time} (cell clock). */
    void currentAsOf(Instant time) {
        currentAsOf.accumulateAndGet(time, (a, b) -> a == null || b.isAfter(a) ? b : a);
    }

    void tableApplied(String table, Operation op, long changes) {
        tableChanges.computeIfAbsent(table, name -> new AtomicLongArray(Operation.values().length)).addAndGet(op.ordinal(), changes);
    }

    Lsn appliedLsn() {
        return appliedLsn.get();
    }

    void appliedLsn(Lsn lsn) {
        appliedLsn.accumulateAndGet(lsn, Lsn::max);
    }

    void snapshotRows(String table, long rows, long estimated) {
        snapshotRows.put(table, rows);
        if (estimated >= 0) {
            snapshotEstimates.put(table, estimated);
        }
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
        Map<String, Map<Operation, Long>> changes = new TreeMap<>();
        tableChanges.forEach((table, counts) -> {
            Map<Operation, Long> byOp = new EnumMap<>(Operation.class);
            for (Operation op : Operation.values()) {
                if (counts.get(op.ordinal()) > 0) {
                    byOp.put(op, counts.get(op.ordinal()));
                }
            }
            changes.put(table, byOp);
        });
        return new CellReport(cellId, state, detail, lastError, attempts.get(), appliedLsn.get(), lastCommitTime, changesApplied, transactionsApplied,
                lagSeconds, new TreeMap<>(snapshotRows), new TreeMap<>(stoppedTables), currentAsOf.get(), errors.get(),
                Math.max(0, runs.get() - 1), changes, new TreeMap<>(snapshotEstimates), snapshotStarted);
    }
}
