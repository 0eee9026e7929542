package io.cellpipe.core.cluster;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.config.SequenceRange;

/** How much of the range it currently draws from a cell's sequence has used. */
public record Saturation(String cellId, String sequence, long lastValue, SequenceRange range, double used) {
    public Saturation {
        requireNonNull(cellId, "cellId is null");
        requireNonNull(sequence, "sequence is null");
        requireNonNull(range, "range is null");
    }

    public String describe() {
        return String.format(java.util.Locale.ROOT, "cell %s: sequence %s is at %d, %.1f%% of its range %s", cellId, sequence, lastValue,
                used * 100, range);
    }
}
