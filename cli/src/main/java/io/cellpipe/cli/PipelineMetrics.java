package io.cellpipe.cli;

import io.cellpipe.core.alert.Alert;
import io.cellpipe.core.alert.Alerts;
import io.cellpipe.core.model.Operation;
import io.cellpipe.core.pipeline.BatchListener;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.CellState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
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
    private static final Duration[] BATCH_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final MeterRegistry registry;
    private final Pipeline pipeline;
    private final SlotLagMonitor slotLag;
    private final Alerts alerts;
    private final Map<String, CellReport> latest = new ConcurrentHashMap<>();
    /** Guarded by this: the cells and (cell, table) pairs whose meters are registered. */
    private final Set<String> registered = new HashSet<>();

    PipelineMetrics(MeterRegistry registry, Pipeline pipeline, SlotLagMonitor slotLag, Alerts alerts) {
        this.registry = registry;
        this.pipeline = pipeline;
        this.slotLag = slotLag;
        this.alerts = alerts;
        Gauge.builder("cellpipe.queue.transactions", pipeline, Pipeline::queuedTransactions)
                .description("Transactions read from cells and waiting to be applied").strongReference(true).register(registry);
        FunctionCounter.builder("cellpipe.batches", pipeline, Pipeline::batches)
                .description("Batches committed to the destination").register(registry);
    }

    /** Times every batch the applier commits, as the histogram {@code cellpipe_batch_duration_seconds}. */
    static BatchListener batchTimer(MeterRegistry registry) {
        Timer timer = Timer.builder("cellpipe.batch.duration")
                .description("Time to apply and commit one batch to the destination")
                .serviceLevelObjectives(BATCH_BUCKETS)
                .register(registry);
        return (took, transactions, changes) -> timer.record(took);
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
            report.tableChanges().forEach((table, counts) -> counts.keySet().forEach(op -> {
                if (registered.add(report.cellId() + "\n" + table + "\n" + op)) {
                    registerTableChanges(report.cellId(), table, op);
                }
            }));
        }
        for (Alert alert : alerts.firing()) {
            if (registered.add("alert\n" + alert.kind().name() + "\n" + alert.cell())) {
                registerAlert(alert.kind().name(), alert.cell());
            }
        }
        return reports;
    }

    /** Registered when an alert of the kind about the cell first fires; 0 once resolved, so a rule can see it end. */
    private void registerAlert(String kind, String cell) {
        Gauge.builder("cellpipe.alerts.firing", alerts, firing -> firing.firing().stream()
                        .filter(alert -> alert.kind().name().equals(kind) && alert.cell().equals(cell)).count())
                .tags("kind", kind, "cell", cell).description("Alerts firing, by kind and cell (empty for the whole pipeline)")
                .strongReference(true).register(registry);
    }

    private void registerCell(String cell) {
        FunctionCounter.builder("cellpipe.changes.applied", this, metrics -> metrics.value(cell, CellReport::changesApplied))
                .tag("cell", cell).description("Changes applied to the destination").register(registry);
        FunctionCounter.builder("cellpipe.transactions.applied", this, metrics -> metrics.value(cell, CellReport::transactionsApplied))
                .tag("cell", cell).description("Source transactions applied to the destination").register(registry);
        gauge("cellpipe.replication.lag", cell, "Seconds from a transaction's commit on the cell to its apply, as of the last apply",
                report -> report.lagSeconds()).baseUnit("seconds").register(registry);
        gauge("cellpipe.freshness", cell, "Seconds since the moment up to which the warehouse holds everything the cell committed;"
                + " grows while nothing arrives", report -> report.freshnessSeconds(Instant.now())).baseUnit("seconds").register(registry);
        FunctionCounter.builder("cellpipe.cell.errors", this, metrics -> metrics.value(cell, CellReport::errors))
                .tag("cell", cell).description("Failures of the cell's capture or apply").register(registry);
        FunctionCounter.builder("cellpipe.cell.reconnects", this, metrics -> metrics.value(cell, CellReport::reconnects))
                .tag("cell", cell).description("Times the cell's capture was started again").register(registry);
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
        Gauge.builder("cellpipe.slot.retained.wal", slotLag, monitor -> monitor.retainedBytes(cell))
                .tag("cell", cell).baseUnit("bytes").strongReference(true)
                .description("WAL kept on the cell's disk for the slot: current WAL position minus the slot's restart position")
                .register(registry);
        Gauge.builder("cellpipe.slot.wal.limit", slotLag, monitor -> monitor.limitBytes(cell))
                .tag("cell", cell).baseUnit("bytes").strongReference(true)
                .description("max_slot_wal_keep_size of the cell; absent when unlimited")
                .register(registry);
        Gauge.builder("cellpipe.slot.safe.wal", slotLag, monitor -> monitor.safeBytes(cell))
                .tag("cell", cell).baseUnit("bytes").strongReference(true)
                .description("WAL that can still be written before the slot risks losing WAL it needs (safe_wal_size); absent when unlimited")
                .register(registry);
    }

    private void registerTableChanges(String cell, String table, Operation op) {
        FunctionCounter.builder("cellpipe.table.changes.applied", this,
                        metrics -> metrics.value(cell, report -> report.tableChanges().getOrDefault(table, Map.of()).getOrDefault(op, 0L)))
                .tags("cell", cell, "table", table, "op", op.name().toLowerCase(Locale.ROOT))
                .description("Changes applied to the destination per table and operation").register(registry);
    }

    private void registerSnapshotTable(String cell, String table) {
        Gauge.builder("cellpipe.snapshot.rows", this, metrics -> metrics.value(cell, report -> report.snapshotRows().getOrDefault(table, 0L)))
                .tags("cell", cell, "table", table).description("Rows copied by the cell's latest snapshot").strongReference(true)
                .register(registry);
        Gauge.builder("cellpipe.snapshot.rows.estimated", this,
                        metrics -> metrics.value(cell, report -> report.snapshotEstimates().getOrDefault(table, Long.valueOf(0)) > 0
                                ? report.snapshotEstimates().get(table) : Double.NaN))
                .tags("cell", cell, "table", table).description("Rows the cell's latest snapshot is expected to copy (PostgreSQL's estimate)")
                .strongReference(true).register(registry);
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
