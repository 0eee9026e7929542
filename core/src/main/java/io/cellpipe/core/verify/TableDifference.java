package io.cellpipe.core.verify;

import static java.util.Objects.requireNonNull;

/** One difference found by verification, described without values (they may be red data). */
public record TableDifference(String cellId, String table, String key, String problem) {
    public TableDifference {
        requireNonNull(cellId, "cellId is null");
        requireNonNull(table, "table is null");
        requireNonNull(key, "key is null");
        requireNonNull(problem, "problem is null");
    }

    @Override
    public String toString() {
        return cellId + " " + table + " key " + key + ": " + problem;
    }
}
