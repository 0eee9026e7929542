package io.cellpipe.duckdb;

import java.util.Arrays;

/** A warehouse row's identity within a batch: the cell and the key values as staged text. */
final class RowKey {
    private final String cellId;
    private final String[] values;
    private final int hash;

    RowKey(String cellId, String[] values) {
        this.cellId = cellId;
        this.values = values;
        this.hash = 31 * cellId.hashCode() + Arrays.hashCode(values);
    }

    /** The key values; the array is shared, not copied. */
    String[] values() {
        return values;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RowKey that && hash == that.hash && cellId.equals(that.cellId) && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** No values: keys may be red data. */
    @Override
    public String toString() {
        return "RowKey[" + cellId + ", " + values.length + " values]";
    }
}
