package io.cellpipe.core.model;

import static java.util.Objects.requireNonNull;

/**
 * Where a resync of one table stands after one chunk, carried by the chunk's {@link Transaction} so
 * that the destination records it atomically with the chunk's rows (a crash resumes after the last
 * chunk that is durable, never after one that is not).
 *
 * @param resyncId the resync request this chunk belongs to
 * @param table the table as loaded (its rows are the chunk's changes)
 * @param since the low watermark of the resync's first chunk: a row of the table the destination has
 *     not written since then was neither read by a chunk nor changed by the stream, so it no longer
 *     exists at the source
 * @param lastKey the last key read, as a JSON array of the source's text values, to resume after;
 *     null when it cannot be kept (a key column a privacy policy hashes) or nothing was read yet
 * @param rowsDone rows read so far by this resync
 * @param finished whether this is the last chunk: the destination then marks deleted the table's
 *     rows (within {@code range}) it has not written since {@code since}
 * @param range the keys the resync re-reads, or null for the whole table
 */
public record ResyncProgress(String resyncId, TableSchema table, Lsn since, String lastKey, long rowsDone, boolean finished, KeyRange range) {
    public ResyncProgress {
        requireNonNull(resyncId, "resyncId is null");
        requireNonNull(table, "table is null");
        requireNonNull(since, "since is null");
        if (rowsDone < 0) {
            throw new IllegalArgumentException("rowsDone must not be negative: " + rowsDone);
        }
    }
}
