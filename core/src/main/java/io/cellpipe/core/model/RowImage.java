package io.cellpipe.core.model;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * One row's values in PostgreSQL text form, by column position of the change's {@link TableSchema}.
 * A {@code null} value is SQL NULL. A column may be marked <em>unchanged TOAST</em>: PostgreSQL did not send
 * it because it did not change, so a destination must keep what it has.
 *
 * <p>The constructor takes ownership of the array (the hot path builds one per change and never shares it).
 */
public final class RowImage {
    private final String[] values;
    private final boolean[] unchanged;

    public RowImage(String[] values, boolean[] unchanged) {
        this.values = requireNonNull(values, "values is null");
        if (unchanged != null && unchanged.length != values.length) {
            throw new IllegalArgumentException("unchanged flags (" + unchanged.length + ") do not match values (" + values.length + ")");
        }
        this.unchanged = unchanged;
    }

    public static RowImage of(String... values) {
        return new RowImage(values, null);
    }

    public int size() {
        return values.length;
    }

    public String value(int index) {
        return values[index];
    }

    public boolean isUnchangedToast(int index) {
        return unchanged != null && unchanged[index];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RowImage that && Arrays.equals(values, that.values) && Arrays.equals(flags(), that.flags());
    }

    private boolean[] flags() {
        return unchanged == null ? new boolean[values.length] : unchanged;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    /** No values: they may be red data, and a row image can end up in a log line or an exception. */
    @Override
    public String toString() {
        return "RowImage[" + values.length + " columns]";
    }
}
