package io.cellpipe.postgres;

import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.spi.CaptureException;
import java.util.Set;

/**
 * A values row filter applied to the stream of one relation shape, on the source rows (before
 * column policies). An update whose new row is outside the filter becomes a delete of its key
 * unless its old row is known to have been outside too, so a row that leaves the filter leaves
 * the warehouse; one whose old row is known to have been outside and whose new row is inside
 * becomes an insert; a delete is passed on unless its old row is known to be outside.
 */
final class StreamRowFilter {
    enum Decision {
        KEEP,
        SKIP,
        /** Publish a delete of the row's key instead. */
        DELETE,
        /** The row enters the filter: publish an insert of the whole new row (see {@link #entering}). */
        INSERT
    }

    private final int position;
    private final Set<String> values;
    /** Whether an old row image carries the column: it is part of the replica identity (or that is FULL). */
    private final boolean oldRowHasColumn;

    private StreamRowFilter(int position, Set<String> values, boolean oldRowHasColumn) {
        this.position = position;
        this.values = values;
        this.oldRowHasColumn = oldRowHasColumn;
    }

    /** Null when the table has no filter the capture process applies. */
    static StreamRowFilter of(String cellId, CellRowFilters.InProcess filter, TableSchema source, PgoutputMessage.Relation relation) {
        if (filter == null) {
            return null;
        }
        int position = source.indexOf(filter.column());
        if (position < 0) {
            throw new CaptureException(cellId + ": the row filter of " + source.id() + " is on column " + filter.column()
                    + ", which the stream no longer carries (was it dropped or renamed?); fix privacy.row_filters.\"" + source.id()
                    + "\" and copy the cell again with `cellpipe run --resnapshot " + cellId + "`", false);
        }
        boolean identity = relation.replicaIdentity() == 'f' || relation.columns().get(position).identity();
        return new StreamRowFilter(position, filter.values(), identity);
    }

    boolean admits(RowImage row) {
        if (row.isUnchangedToast(position)) {
            return true;
        }
        String value = row.value(position);
        // NULL is in no list (and an immutable set refuses to look it up)
        return value != null && values.contains(value);
    }

    Decision update(RowImage before, RowImage after) {
        if (admits(after)) {
            return before != null && oldRowHasColumn && !admits(before) ? Decision.INSERT : Decision.KEEP;
        }
        if (before != null && oldRowHasColumn && !admits(before)) {
            return Decision.SKIP;
        }
        return Decision.DELETE;
    }

    Decision delete(RowImage before) {
        return oldRowHasColumn && !admits(before) ? Decision.SKIP : Decision.KEEP;
    }

    /**
     * The new row of an update that enters the filter, with the TOASTed values the update did not
     * change (and so did not send) taken from the old row, which carries them when it carries the
     * filter column (REPLICA IDENTITY FULL): the warehouse has no earlier version to keep them from.
     */
    static RowImage entering(RowImage before, RowImage after) {
        String[] values = new String[after.size()];
        boolean[] unchanged = null;
        for (int i = 0; i < values.length; i++) {
            if (!after.isUnchangedToast(i)) {
                values[i] = after.value(i);
            } else if (!before.isUnchangedToast(i)) {
                values[i] = before.value(i);
            } else {
                if (unchanged == null) {
                    unchanged = new boolean[values.length];
                }
                unchanged[i] = true;
            }
        }
        return new RowImage(values, unchanged);
    }

    /** The row's key columns only, as a delete under {@code REPLICA IDENTITY DEFAULT} carries them. */
    static RowImage keyOf(TableSchema source, RowImage row) {
        String[] values = new String[source.columns().size()];
        for (int i = 0; i < values.length; i++) {
            if (source.columns().get(i).key()) {
                values[i] = row.value(i);
            }
        }
        return new RowImage(values, null);
    }
}
