package io.cellpipe.core.cluster;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.TableId;

/**
 * Something in the data that breaks what makes many cells correct, recorded in
 * {@code _cellpipe.anomalies}: a row whose id lies outside its cell's sequence ranges, the same
 * key live in two cells of a globally unique table, or a sequence handing out ids outside its
 * cell's ranges.
 */
public record Anomaly(Kind kind, String cellId, TableId table, String key, String detail) {
    public enum Kind {
        /** A captured row's sequence-generated id is outside the ranges allocated to its cell. */
        OUT_OF_RANGE,
        /** The same primary key is live in more than one cell of a table configured as globally unique. */
        COLLISION,
        /** A cell's sequence is positioned outside the ranges allocated to that cell. */
        SEQUENCE_OUT_OF_RANGE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Anomaly {
        requireNonNull(kind, "kind is null");
        requireNonNull(cellId, "cellId is null");
        requireNonNull(table, "table is null");
        requireNonNull(key, "key is null");
        requireNonNull(detail, "detail is null");
    }
}
