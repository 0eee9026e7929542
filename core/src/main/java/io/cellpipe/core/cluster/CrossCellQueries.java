package io.cellpipe.core.cluster;

import io.cellpipe.core.config.SequenceRange;
import io.cellpipe.core.model.TableId;
import java.util.List;

/**
 * What the cross-cell checks ask of the warehouse, where every cell's rows meet (implemented by
 * destinations that can answer queries). Only live (not deleted) rows count.
 */
public interface CrossCellQueries {
    /**
     * Rows of one cell whose {@code column} lies outside {@code ranges}, among rows loaded after
     * {@code sinceLsn} (a {@code _lsn_value}); returns them and the highest LSN value examined.
     */
    OutOfRange outOfRange(String cellId, TableId table, String column, List<SequenceRange> ranges, long sinceLsn);

    /** Keys live in more than one cell, one anomaly per cell holding such a key. */
    List<Anomaly> collisions(TableId table, List<String> keyColumns);

    /** Where the given cells' copies of a table disagree with the majority of them. */
    List<ClusterwideDifference> differences(TableId table, List<String> keyColumns, List<String> cellIds);

    /** Records anomalies; one already recorded keeps its first-seen time. */
    void recordAnomalies(List<Anomaly> anomalies);

    /** Replaces the recorded differences of a table (kind {@code static} or {@code settings}), keeping since-when of the ones that remain. */
    void recordDifferences(TableId table, String kind, List<ClusterwideDifference> differences);

    /** Anomalies recorded so far, by kind label. */
    java.util.Map<String, Long> anomalyCounts();

    /** Presents a static table once: per key, the row most cells agree on. */
    void presentOnce(TableId table, List<String> keyColumns);

    /** Whether the warehouse holds this table with this column. */
    boolean hasColumn(TableId table, String column);

    record OutOfRange(List<Anomaly> anomalies, long examinedUpTo) {
        public OutOfRange {
            anomalies = List.copyOf(anomalies);
        }
    }
}
