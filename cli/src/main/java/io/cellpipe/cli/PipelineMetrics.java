package io.cellpipe.cli;

import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.CellState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Turns the pipeline's reports into Micrometer meters, named as docs/operations.md lists them.
 * {@link #refresh} takes a fresh report of every cell and registers the meters of cells and tables
 * seen for the first time; the meters read the latest report.
 */
final class PipelineMetrics {
    private final MeterRegistry registry;
    private final Pipeline pipeline;
    private final SlotLagMonitor slotLag;
    private final Map<String, CellReport> latest = new ConcurrentHashMap<>();
    /** Guarded by this: the cells and (cell, table) pairs whose meters are registered. */
    private final Set<String> registered = new HashSet<>();

    PipelineMetrics(MeterRegistry registry, Pipeline pipeline, SlotLagMonitor slotLag) {
        this.registry = registry;
        this.pipeline = pipeline;
        this.slotLag = slotLag;
        Gauge.builder("cellpipe.queue.transactions", pipeline, Pipeline::queuedTransactions)
                .description("Transactions read from cells and waiting to be applied").strongReference(true).register(registry);
        FunctionCounter.builder("cellpipe.batches", pipeline, Pipeline::batches)
                .description("Batches committed to the destination").register(registry);
    }

    /** Takes a fresh report of every cell; returns it. */
    synchronized List<CellReport> refresh() {
        List<CellReport> reports = pipeline.report();
        for (CellReport report : reports) {
            latest.put(report.cellId(), report);
            if (registered.add(report.cellId())) {
                registerCell(report.cellId());
            }
            for (String table : report.snapshotRows().keySet()) {
                if (registered.add(report.cellId() + "\n" + table)) {
                    registerSnapshotTable(report.cellId(), table);
                }
            }
        }
        return reports;
    }

    private void registerCell(String cell) {
        FunctionCounter.builder("cellpipe.changes.applied", this, metrics -> metrics.value(cell, CellReport::changesApplied))
                .tag("cell", cell).description("Changes applied to the destination").register(registry);
        FunctionCounter.builder("cellpipe.transactions.applied", this, metrics -> metrics.value(cell, CellReport::transactionsApplied))
                .tag("cell", cell).description("Source transactions applied to the destination").register(registry);
        gauge("cellpipe.replication.lag", cell, "Seconds from a transaction's commit on the cell to its apply, as of the last apply",
                report -> report.lagSeconds()).baseUnit("seconds").register(registry);
        gauge("cellpipe.cell.retries", cell, "Failed attempts in a row since the cell last reached streaming",
                report -> report.attempts()).register(registry);
        gauge("cellpipe.stopped.tables", cell, "Tables of the cell stopped by an error they cannot get past",
                report -> report.stoppedTables().size()).register(registry);
        for (CellState state : CellState.values()) {
            gauge("cellpipe.cell.state", cell, "1 for the state the cell is in, 0 for the others",
                    report -> report.state() == state ? 1 : 0).tag("state", state.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        Gauge.builder("cellpipe.slot.lag", slotLag, monitor -> monitor.bytes(cell))
                .tag("cell", cell).baseUnit("bytes").strongReference(true)
                .description("WAL the cell retains for the pipeline's slot: current WAL position minus confirmed flush position")
                .register(registry);
    }

    private void registerSnapshotTable(String cell, String table) {
        Gauge.builder("cellpipe.snapshot.rows", this, metrics -> metrics.value(cell, report -> report.snapshotRows().getOrDefault(table, 0L)))
                .tags("cell", cell, "table", table).description("Rows copied by the cell's latest snapshot").strongReference(true)
                .register(registry);
    }

    private Gauge.Builder<PipelineMetrics> gauge(String name, String cell, String description, ToDoubleFunction<CellReport> value) {
        return Gauge.builder(name, this, metrics -> metrics.value(cell, value)).tag("cell", cell).description(description)
                .strongReference(true);
    }

    private double value(String cell, ToDoubleFunction<CellReport> value) {
        CellReport report = latest.get(cell);
        return report == null ? Double.NaN : value.applyAsDouble(report);
    }
}
