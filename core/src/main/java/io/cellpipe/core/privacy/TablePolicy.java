package io.cellpipe.core.privacy;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableSchema;

/**
 * The column policies of one table shape: the {@link #schema} the rest of the pipeline sees (dropped
 * columns removed, hashed and redacted ones retyped) and the mapping of a source row onto it.
 * Immutable and thread-safe.
 */
public final class TablePolicy {
    private final TableSchema source;
    private final TableSchema schema;
    /** For each column of {@link #schema}, its position in {@link #source}. */
    private final int[] positions;
    /** For each column of {@link #schema}, its transform, or null to keep the value. */
    private final ColumnPolicies.ValueTransform[] transforms;

    TablePolicy(TableSchema source, TableSchema schema, int[] positions, ColumnPolicies.ValueTransform[] transforms) {
        this.source = requireNonNull(source, "source is null");
        this.schema = requireNonNull(schema, "schema is null");
        this.positions = positions;
        this.transforms = transforms;
    }

    static TablePolicy identity(TableSchema source) {
        return new TablePolicy(source, source, null, null);
    }

    /** The table as the source sends it. */
    public TableSchema source() {
        return source;
    }

    /** The table as the pipeline and the destination see it. */
    public TableSchema schema() {
        return schema;
    }

    /** True when no column is dropped or changed; {@link #apply} then returns its argument. */
    public boolean isIdentity() {
        return positions == null;
    }

    /** The position in {@link #source} of column {@code index} of {@link #schema}. */
    public int sourcePosition(int index) {
        return isIdentity() ? index : positions[index];
    }

    /** Whether column {@code index} of {@link #schema} holds the source's value as is (kept, not hashed or redacted). */
    public boolean keepsValue(int index) {
        return isIdentity() || transforms[index] == null;
    }

    /** Whether every column of {@link #schema} holds the source's values as they are (some source columns may be dropped). */
    public boolean keepsEveryValue() {
        for (int index = 0; index < schema().columns().size(); index++) {
            if (!keepsValue(index)) {
                return false;
            }
        }
        return true;
    }

    /** The value column {@code index} of {@link #schema} holds for a source value. */
    public String apply(int index, String sourceValue) {
        return keepsValue(index) ? sourceValue : transforms[index].apply(sourceValue);
    }

    /** Maps a source row (before or after image) onto {@link #schema}; an unchanged-TOAST column stays a marker. */
    public RowImage apply(RowImage row) {
        if (row == null || isIdentity()) {
            return row;
        }
        if (row.size() != source.columns().size()) {
            throw new IllegalArgumentException("a row of " + row.size() + " columns for " + source.id() + " of " + source.columns().size());
        }
        String[] values = new String[positions.length];
        boolean[] unchanged = null;
        for (int i = 0; i < positions.length; i++) {
            int position = positions[i];
            if (row.isUnchangedToast(position)) {
                if (unchanged == null) {
                    unchanged = new boolean[positions.length];
                }
                unchanged[i] = true;
            } else {
                String value = row.value(position);
                values[i] = transforms[i] == null ? value : transforms[i].apply(value);
            }
        }
        return new RowImage(values, unchanged);
    }

    @Override
    public String toString() {
        return "TablePolicy[" + source.id() + (isIdentity() ? ", identity]" : ", " + schema.columns().size() + " of "
                + source.columns().size() + " columns]");
    }
}
