package io.cellpipe.core.pipeline;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.spi.CellState;
import java.time.Instant;
import java.util.Map;

/** A point-in-time view of one cell, for progress lines, status and verification output. */
public record CellReport(String cellId, CellState state, String detail, String lastError, int attempts, Lsn appliedLsn,
        Instant lastCommitTime, long changesApplied, long transactionsApplied, double lagSeconds, Map<String, Long> snapshotRows,
        Map<String, String> stoppedTables) {
}
