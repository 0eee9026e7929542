package io.cellpipe.core.config;

/**
 * A block of ids a cell's sequences may hand out, {@code minval..maxval} inclusive. Cells are given
 * disjoint ranges, so an id tells which cell created the row.
 */
public record SequenceRange(long minval, long maxval) {
    public SequenceRange {
        if (minval > maxval) {
            throw new IllegalArgumentException("sequence range minval " + minval + " is greater than maxval " + maxval);
        }
    }

    public boolean contains(long value) {
        return value >= minval && value <= maxval;
    }

    public boolean overlaps(SequenceRange other) {
        return minval <= other.maxval && other.minval <= maxval;
    }

    /** How much of the range lies at or below {@code value}: 0 at minval, 1 at maxval. */
    public double used(long value) {
        if (maxval == minval) {
            return value >= maxval ? 1 : 0;
        }
        return Math.min(1, Math.max(0, ((double) value - minval) / ((double) maxval - minval)));
    }

    @Override
    public String toString() {
        return minval + ".." + maxval;
    }
}
