package io.cellpipe.core.cluster;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.TableId;

/**
 * One cell's copy of a clusterwide table disagreeing with the majority of cells, for one key and
 * one column. A row missing in a cell (or present only there) is reported with the column
 * {@value #ROW}, and values {@code present} / {@code missing}.
 */
public record ClusterwideDifference(TableId table, String key, String column, String cellId, String value, String majorityValue) {
    public static final String ROW = "(row)";

    public ClusterwideDifference {
        requireNonNull(table, "table is null");
        requireNonNull(key, "key is null");
        requireNonNull(column, "column is null");
        requireNonNull(cellId, "cellId is null");
    }
}
