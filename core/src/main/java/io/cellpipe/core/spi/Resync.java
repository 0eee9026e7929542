package io.cellpipe.core.spi;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.KeyRange;
import io.cellpipe.core.model.Lsn;
import java.time.Instant;

/**
 * A request to re-read rows of a cell while it streams (DBLog watermarks), and how far it got.
 * Kept by the destination, so a request survives restarts and resumes after its last durable chunk.
 *
 * @param table {@code schema.table}, or {@link #EVERY_TABLE} for every captured table of the cell
 *     (which also re-creates the cell's replication slot if it is missing or lost)
 * @param range the keys of the rows to re-read; null for all rows
 * @param chunkRows rows read per chunk
 * @param since the first chunk's low watermark, null before the first chunk
 * @param lastKey the last key read (JSON array of text values), null to start from the beginning
 * @param detail why it was requested, or why it failed
 */
public record Resync(String id, String cellId, String table, KeyRange range, int chunkRows, State state, Lsn since, String lastKey,
        long rowsDone, Instant requestedAt, Instant updatedAt, String detail) {
    public static final String EVERY_TABLE = "*";
    /** Failed attempts (across restarts) after which a resync is given up, failed with the last reason. */
    public static final int MAX_FAILED_ATTEMPTS = 5;

    public enum State {
        PENDING,
        RUNNING,
        DONE,
        FAILED;

        public boolean finished() {
            return this == DONE || this == FAILED;
        }
    }

    public Resync {
        requireNonNull(id, "id is null");
        requireNonNull(cellId, "cellId is null");
        requireNonNull(table, "table is null");
        requireNonNull(state, "state is null");
        requireNonNull(requestedAt, "requestedAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunkRows must be positive: " + chunkRows);
        }
        if (range != null && table.equals(EVERY_TABLE)) {
            throw new IllegalArgumentException("a key range needs one table, not every table of the cell");
        }
    }

    /** A new request, not started. */
    public static Resync request(String cellId, String table, KeyRange range, int chunkRows, String detail) {
        Instant now = Instant.now();
        return new Resync(java.util.UUID.randomUUID().toString(), cellId, table, range, chunkRows, State.PENDING, null, null, 0, now, now,
                detail);
    }

    public boolean everyTable() {
        return table.equals(EVERY_TABLE);
    }
}
