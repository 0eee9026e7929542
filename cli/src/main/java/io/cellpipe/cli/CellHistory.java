package io.cellpipe.cli;

import io.cellpipe.core.pipeline.CellReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The last hour (or {@code span}) of each cell's lag, freshness, slot lag and change rate, one
 * sample per {@link #sample} call, kept in memory for the status page's chart. Thread-safe.
 */
final class CellHistory {
    /** One point of a cell's history; NaN where unknown. */
    record Sample(Instant time, double lagSeconds, double freshnessSeconds, double slotLagBytes, double changesPerSecond) {
    }

    private final int capacity;
    /** Guarded by this. */
    private final Map<String, Deque<Sample>> samples = new LinkedHashMap<>();
    /** Guarded by this: the previous report per cell, for the change rate. */
    private final Map<String, CellReport> previous = new LinkedHashMap<>();
    private final Map<String, Instant> previousTime = new LinkedHashMap<>();

    CellHistory(Duration span, Duration interval) {
        this.capacity = (int) Math.max(1, span.toMillis() / interval.toMillis());
    }

    synchronized void sample(List<CellReport> reports, ToDoubleFunction<String> slotLagBytes, Instant now) {
        for (CellReport report : reports) {
            CellReport before = previous.put(report.cellId(), report);
            Instant beforeTime = previousTime.put(report.cellId(), now);
            double rate = Double.NaN;
            if (before != null && now.isAfter(beforeTime)) {
                rate = Math.max(0, report.changesApplied() - before.changesApplied()) / (Duration.between(beforeTime, now).toMillis() / 1000.0);
            }
            Deque<Sample> cell = samples.computeIfAbsent(report.cellId(), id -> new ArrayDeque<>());
            cell.addLast(new Sample(now, report.lagSeconds(), report.freshnessSeconds(now), slotLagBytes.applyAsDouble(report.cellId()), rate));
            while (cell.size() > capacity) {
                cell.removeFirst();
            }
        }
    }

    /** The samples of every cell, oldest first. */
    synchronized Map<String, List<Sample>> snapshot() {
        Map<String, List<Sample>> copy = new LinkedHashMap<>();
        samples.forEach((cell, deque) -> copy.put(cell, new ArrayList<>(deque)));
        return copy;
    }

    /** Changes per second over the latest sampling interval; NaN before two samples. */
    synchronized double changesPerSecond(String cellId) {
        Deque<Sample> cell = samples.get(cellId);
        return cell == null || cell.isEmpty() ? Double.NaN : cell.getLast().changesPerSecond();
    }
}
