package io.cellpipe.cli;

import io.cellpipe.core.cluster.ClusterwideDifference;
import io.cellpipe.core.cluster.CrossCellChecks;
import io.cellpipe.core.cluster.CrossCellReport;
import io.cellpipe.core.pipeline.RegistryWatcher;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The cross-cell checks' and the registry's meters, named as docs/operations.md lists them; like
 * {@link PipelineMetrics}, {@link #refresh} registers meters for cells and tables seen for the first
 * time and the meters read the latest report.
 */
final class CrossCellMetrics {
    private final MeterRegistry registry;
    private final Supplier<Optional<CrossCellChecks>> checks;
    /** Guarded by this. */
    private final Set<String> registered = new HashSet<>();

    CrossCellMetrics(MeterRegistry registry, Supplier<Optional<CrossCellChecks>> checks, Supplier<Optional<RegistryWatcher>> watcher) {
        this.registry = registry;
        this.checks = checks;
        Gauge.builder("cellpipe.registry.rejected", () -> watcher.get().flatMap(RegistryWatcher::rejection).isPresent() ? 1 : 0)
                .description("1 while the latest edit of the cell registry file is rejected (the running cells are kept)")
                .strongReference(true).register(registry);
    }

    synchronized void refresh() {
        Optional<CrossCellChecks> found = checks.get();
        if (found.isEmpty()) {
            return;
        }
        CrossCellReport report = found.get().report();
        report.anomalies().keySet().forEach(kind -> register("anomaly\n" + kind, () -> Gauge.builder("cellpipe.anomalies",
                () -> found.get().report().anomalies().getOrDefault(kind, 0L)).tag("kind", kind)
                .description("Anomalies recorded in _cellpipe.anomalies, by kind").strongReference(true).register(registry)));
        report.rangeUsed().keySet().forEach(cell -> register("range\n" + cell, () -> Gauge.builder("cellpipe.sequence.range.used.ratio",
                () -> found.get().report().rangeUsed().getOrDefault(cell, Double.NaN)).tag("cell", cell)
                .description("Highest share of its sequence range any of the cell's sequences has used").strongReference(true).register(registry)));
        report.differences().keySet().forEach(table -> register("differences\n" + table, () -> Gauge.builder("cellpipe.clusterwide.differences",
                () -> found.get().report().differences().getOrDefault(table, List.<ClusterwideDifference>of()).size()).tag("table", table.qualified())
                .description("Differences of the cells' copies of a clusterwide table from the majority").strongReference(true).register(registry)));
    }

    private void register(String name, Runnable registration) {
        if (registered.add(name)) {
            registration.run();
        }
    }
}
