package io.cellpipe.core.spi;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.Lsn;
import java.time.Instant;

/**
 * What a destination has durably applied for one cell: every transaction whose commit LSN is at
 * or below {@code lsn}. A cell without a checkpoint has no completed snapshot yet.
 */
public record CellCheckpoint(String cellId, Lsn lsn, Instant commitTime) {
    public CellCheckpoint {
        requireNonNull(cellId, "cellId is null");
        requireNonNull(lsn, "lsn is null");
        requireNonNull(commitTime, "commitTime is null");
    }
}
