package io.cellpipe.core.spi;

import io.cellpipe.core.cluster.CrossCellQueries;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.model.Transaction;
import io.cellpipe.core.privacy.KeyFingerprint;
import io.cellpipe.core.verify.RowSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where changes land. {@link #apply} is atomic: the data, the change log and each cell's checkpoint
 * are committed together or not at all (invariant 1). Implementations are thread-safe.
 */
public interface Destination extends AutoCloseable, RowSource {
    /** The checkpoint of every cell that has one. */
    Map<String, CellCheckpoint> checkpoints();

    default Optional<CellCheckpoint> checkpoint(String cellId) {
        return Optional.ofNullable(checkpoints().get(cellId));
    }

    /**
     * Applies transactions of one or more cells, in the given order per cell, and moves each cell's
     * checkpoint to its last transaction's commit LSN, in one destination transaction.
     */
    void apply(List<Transaction> batch);

    /** Forgets a cell's loaded rows and checkpoint, before its snapshot is (re)taken. */
    void beginSnapshot(String cellId, List<TableSchema> tables);

    /** Appends snapshot rows of one table of one cell; may be called from several threads at once. */
    void loadSnapshotRows(String cellId, TableSchema table, List<RowImage> rows);

    /**
     * Opens a load of many snapshot rows of one table of one cell that the destination may write
     * in larger units than {@link #loadSnapshotRows} calls. By default each {@code add} is loaded
     * at once, and {@code commit} and {@code close} have nothing left to do.
     */
    default SnapshotLoad openSnapshotLoad(String cellId, TableSchema table) {
        return new SnapshotLoad() {
            @Override
            public void add(List<RowImage> rows) {
                loadSnapshotRows(cellId, table, rows);
            }

            @Override
            public void commit() {
            }

            @Override
            public void close() {
            }
        };
    }

    /** Marks a cell's snapshot complete: from now on it streams from {@code consistentPoint}. */
    void completeSnapshot(String cellId, Lsn consistentPoint, Instant snapshotTime);

    /** The warehouse side of the cross-cell checks; empty for destinations that cannot answer queries. */
    default Optional<CrossCellQueries> crossCellQueries() {
        return Optional.empty();
    }

    /** Records that a table of a cell stopped loading and why (shown by status and verify). */
    void recordTableStopped(String cellId, TableId table, String reason);

    /** Tables stopped per cell, with reasons. */
    Map<String, Map<String, String>> stoppedTables();

    /**
     * The fingerprints of the hash keys the warehouse's values were hashed with, by category, as
     * {@link #recordHashKeys} left them; empty for a new warehouse.
     */
    Map<String, KeyFingerprint> hashKeys();

    /** Records (adds or replaces) the fingerprints of the hash keys used from now on. */
    void recordHashKeys(List<KeyFingerprint> keys);

    /**
     * Records a resync request; the cell's capture picks it up while streaming.
     *
     * @throws UnsupportedOperationException if this destination cannot keep resyncs
     */
    default void requestResync(Resync request) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot keep resync requests");
    }

    /** Every resync request with its progress, oldest first. */
    default List<Resync> resyncs() {
        return List.of();
    }

    /** Ends a resync outside a chunk: failed (with why), or done without rows to write (an expanded whole-cell request). */
    default void finishResync(String id, Resync.State state, String detail) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot keep resync requests");
    }

    /**
     * Counts a failed attempt at a resync (a chunk its cell could not read, or the destination could not
     * apply), with why; at {@link Resync#MAX_FAILED_ATTEMPTS} the resync is marked failed with that reason,
     * instead of being tried again after every restart. Returns whether it was.
     */
    default boolean recordResyncFailure(String id, String reason) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot keep resync requests");
    }

    @Override
    void close();
}
