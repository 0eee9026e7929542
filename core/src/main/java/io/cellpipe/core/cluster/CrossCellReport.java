package io.cellpipe.core.cluster;

import io.cellpipe.core.model.TableId;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The outcome of the latest cross-cell check: anomalies recorded so far by kind, per cell the
 * highest share of its range any of its sequences has used, sequences at or above the saturation
 * threshold, current differences per clusterwide table, and what could not be checked.
 */
public record CrossCellReport(Instant checkedAt, Map<String, Long> anomalies, Map<String, Double> rangeUsed, List<Saturation> saturated,
        Map<TableId, List<ClusterwideDifference>> differences, List<String> problems) {
    public CrossCellReport {
        anomalies = Map.copyOf(anomalies);
        rangeUsed = Map.copyOf(rangeUsed);
        saturated = List.copyOf(saturated);
        differences = Map.copyOf(differences);
        problems = List.copyOf(problems);
    }

    public static CrossCellReport none() {
        return new CrossCellReport(null, Map.of(), Map.of(), List.of(), Map.of(), List.of());
    }
}
