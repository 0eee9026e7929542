package io.cellpipe.core.pipeline;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.Operation;
import io.cellpipe.core.spi.CellState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A point-in-time view of one cell, for progress lines, status and verification output.
 *
 * @param currentAsOf the warehouse holds everything the cell committed up to this time (cell clock):
 *     the commit time of the last applied transaction, or later when a heartbeat confirmed that
 *     nothing was left to apply; null before either happened
 * @param errors failures of the cell's capture or apply since the process started
 * @param reconnects times the capture was started again after a failure or an unexpected end
 * @param tableChanges changes applied per table and operation since the process started
 * @param snapshotEstimates estimated rows per table of the running or latest snapshot (PostgreSQL's statistics)
 * @param snapshotStarted when the latest snapshot started, null if none in this process
 */
public record CellReport(String cellId, CellState state, String detail, String lastError, int attempts, Lsn appliedLsn,
        Instant lastCommitTime, long changesApplied, long transactionsApplied, double lagSeconds, Map<String, Long> snapshotRows,
        Map<String, String> stoppedTables, Instant currentAsOf, long errors, long reconnects,
        Map<String, Map<Operation, Long>> tableChanges, Map<String, Long> snapshotEstimates, Instant snapshotStarted) {

    /**
     * Seconds since the moment up to which the warehouse is known to hold everything of the cell;
     * unlike {@link #lagSeconds} it keeps growing while nothing arrives (cell down, capture stuck).
     * NaN when not known yet.
     */
    public double freshnessSeconds(Instant now) {
        if (currentAsOf == null) {
            return Double.NaN;
        }
        return Math.max(0, Duration.between(currentAsOf, now).toMillis() / 1000.0);
    }

    public long snapshotRowsDone() {
        return snapshotRows.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Estimated rows of the whole snapshot, 0 when unknown. */
    public long snapshotRowsEstimated() {
        return snapshotEstimates.values().stream().mapToLong(Long::longValue).sum();
    }
}
