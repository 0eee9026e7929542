package io.cellpipe.duckdb;

import io.cellpipe.core.model.Operation;

/**
 * The latest image of one warehouse row within a batch, laid out by warehouse position, values as
 * staged text. A {@code keep} flag means "leave what the warehouse holds": an unchanged TOAST
 * value, or a column the change's shape does not have. {@code origin} is set when the row moved
 * here from another key (an update of the key) and kept columns must be copied from the row at
 * that old key. Mutable while one batch is coalesced; then handed, unchanged, to the thread that
 * writes it (see {@link BatchPreparation}).
 */
final class StagedRow {
    final String cellId;
    final String[] values;
    final CommitStamp stamp;
    final Operation op;
    final boolean deleted;
    private boolean[] keep;
    private int kept;
    private String[] origin;

    StagedRow(String cellId, int width, CommitStamp stamp, Operation op, boolean deleted) {
        this.cellId = cellId;
        this.values = new String[width];
        this.stamp = stamp;
        this.op = op;
        this.deleted = deleted;
    }

    void keep(int position) {
        if (keep == null) {
            keep = new boolean[values.length];
        }
        if (!keep[position]) {
            keep[position] = true;
            kept++;
        }
    }

    void unkeep(int position) {
        if (keep != null && keep[position]) {
            keep[position] = false;
            kept--;
        }
    }

    boolean kept(int position) {
        return keep != null && keep[position];
    }

    /** The keep flags, or null when every value is set by the row itself. */
    boolean[] keepFlags() {
        return kept == 0 ? null : keep;
    }

    boolean keepsAny() {
        return kept > 0;
    }

    String[] origin() {
        return origin;
    }

    void origin(String[] originKey) {
        this.origin = originKey;
    }

    /** Takes {@code position} from an earlier image of the same row: its value or its keep flag. */
    void inherit(StagedRow earlier, int position) {
        if (earlier.kept(position)) {
            keep(position);
        } else {
            values[position] = earlier.values[position];
        }
    }
}
