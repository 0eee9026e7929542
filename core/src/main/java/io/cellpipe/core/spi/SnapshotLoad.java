package io.cellpipe.core.spi;

import io.cellpipe.core.model.RowImage;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * Snapshot rows of one table of one cell written as one unit: a destination may hold them back
 * until {@link #commit}, and closing without a commit discards what it held back. One snapshot
 * worker uses it, from one thread, for one chunk of the table.
 */
public interface SnapshotLoad extends AutoCloseable {
    void add(List<RowImage> rows);

    /**
     * Where this load takes its rows as the bytes PostgreSQL's {@code COPY ... TO STDOUT (FORMAT
     * csv)} writes with its defaults, the load's table's columns in order, instead of through
     * {@link #add}: empty (the default) when the destination takes rows only through {@link #add}.
     * Asked before any row is added; a source that writes there writes every row of the load
     * there, then commits. The values must be those the table holds: a source applies its column
     * policies to them first. A write that fails throws an unchecked exception naming what to do.
     */
    default Optional<OutputStream> csv() {
        return Optional.empty();
    }

    /**
     * Where this load takes its rows as the tuples of PostgreSQL's {@code COPY ... TO STDOUT
     * (FORMAT binary)}, each column of the load's table in its {@link BinaryForm}, instead of
     * through {@link #add} or {@link #csv}: empty (the default) when it does not. Asked first,
     * before any row is added. The values must be those the table holds: a source applies its
     * column policies to them first.
     */
    default Optional<BinaryRows> binary() {
        return Optional.empty();
    }

    /** Rows of one load as binary {@code COPY} tuples. */
    interface BinaryRows {
        /**
         * Takes the tuple of {@code length} bytes at {@code offset}: the number of fields (16
         * bits), then for each its length (32 bits, -1 for NULL) and its bytes. Returns false,
         * taking nothing more, for a value the load does not take in this form (e.g. {@code
         * infinity} where the warehouse's type has none): the source then closes the load without
         * committing and loads the same rows again without {@link #binary}, which the destination
         * no longer offers for the table.
         */
        boolean add(byte[] tuple, int offset, int length);
    }

    void commit();

    /** Discards the rows not committed. */
    @Override
    void close();
}
