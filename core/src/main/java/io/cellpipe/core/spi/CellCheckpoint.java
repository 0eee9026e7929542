package io.cellpipe.core.spi;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.Lsn;
import java.time.Instant;

/**
 * What a destination has durably applied for one cell: every transaction whose commit LSN is at
 * or below {@code lsn}. A cell without a checkpoint has no completed snapshot yet.
 *
 * @param recordsAcknowledgements whether every position acknowledged to the cell's slot was first
 *     recorded here (so a slot confirmed past {@code lsn} was read by another warehouse, or this one
 *     was restored); false for a checkpoint last written by a version that acknowledged idle
 *     positions without recording them
 */
public record CellCheckpoint(String cellId, Lsn lsn, Instant commitTime, boolean recordsAcknowledgements) {
    public CellCheckpoint {
        requireNonNull(cellId, "cellId is null");
        requireNonNull(lsn, "lsn is null");
        requireNonNull(commitTime, "commitTime is null");
    }

    public CellCheckpoint(String cellId, Lsn lsn, Instant commitTime) {
        this(cellId, lsn, commitTime, true);
    }
}
