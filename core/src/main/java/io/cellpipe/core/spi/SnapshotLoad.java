package io.cellpipe.core.spi;

import io.cellpipe.core.model.RowImage;
import java.util.List;

/**
 * Snapshot rows of one table of one cell written as one unit: a destination may hold them back
 * until {@link #commit}, and closing without a commit discards what it held back. One snapshot
 * worker uses it, from one thread, for one chunk of the table.
 */
public interface SnapshotLoad extends AutoCloseable {
    void add(List<RowImage> rows);

    void commit();

    /** Discards the rows not committed. */
    @Override
    void close();
}
