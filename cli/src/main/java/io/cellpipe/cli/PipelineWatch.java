package io.cellpipe.cli;

import io.cellpipe.core.alert.AlertRules;
import io.cellpipe.core.alert.Alerts;
import io.cellpipe.core.cluster.CrossCellChecks;
import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.pipeline.RegistryWatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a running pipeline, with or without the HTTP endpoints: measures each cell's slot,
 * keeps the last hour of samples for the status page, and evaluates the alert rules every
 * {@code alerts.interval} into the given {@link Alerts} (which other parts raise their own
 * alerts into, and which the caller closes).
 */
final class PipelineWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PipelineWatch.class);
    static final Duration SLOT_LAG_INTERVAL = Duration.ofSeconds(15);
    static final Duration HISTORY_SPAN = Duration.ofHours(1);

    private final Pipeline pipeline;
    private final SlotLagMonitor slotLag;
    private final Alerts alerts;
    private final AlertRules rules;
    private final CellHistory history;
    private final Duration alertInterval;
    private final Duration historyInterval;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile CrossCellChecks crossCell;
    private volatile RegistryWatcher registryWatcher;

    PipelineWatch(PipelineConfig config, Pipeline pipeline, Alerts alerts, Duration historyInterval, Supplier<List<CellConfig>> cells) {
        this.pipeline = pipeline;
        this.alerts = alerts;
        this.slotLag = new SlotLagMonitor(cells, config.pipeline(), SLOT_LAG_INTERVAL);
        this.rules = new AlertRules(alerts, config.slo().freshness());
        this.alertInterval = config.alerts().interval();
        this.historyInterval = historyInterval;
        this.history = new CellHistory(HISTORY_SPAN, historyInterval);
        this.thread = Thread.ofVirtual().name("pipeline-watch").start(this::watchUntilClosed);
    }

    static PipelineWatch start(PipelineConfig config, Pipeline pipeline, Alerts alerts) {
        return start(config, pipeline, alerts, config::cells);
    }

    /** Watches the cells {@code cells} names at each measurement (they change when a registry is edited). */
    static PipelineWatch start(PipelineConfig config, Pipeline pipeline, Alerts alerts, Supplier<List<CellConfig>> cells) {
        return new PipelineWatch(config, pipeline, alerts, Duration.ofSeconds(10), cells);
    }

    Alerts alerts() {
        return alerts;
    }

    /**
     * Makes the cross-cell checks and the registry watcher (either may be null) visible to the
     * endpoints; set once while the pipeline is assembled, read by request threads.
     */
    PipelineWatch following(CrossCellChecks checks, RegistryWatcher watcher) {
        this.crossCell = checks;
        this.registryWatcher = watcher;
        return this;
    }

    Optional<CrossCellChecks> crossCell() {
        return Optional.ofNullable(crossCell);
    }

    Optional<RegistryWatcher> registryWatcher() {
        return Optional.ofNullable(registryWatcher);
    }

    SlotLagMonitor slotLag() {
        return slotLag;
    }

    CellHistory history() {
        return history;
    }

    Duration historyInterval() {
        return historyInterval;
    }

    private void watchUntilClosed() {
        long nextAlerts = System.nanoTime();
        long nextSample = System.nanoTime();
        while (running) {
            try {
                long now = System.nanoTime();
                if (now - nextSample >= 0) {
                    List<CellReport> reports = pipeline.report();
                    history.sample(reports, slotLag::bytes, Instant.now());
                    nextSample = now + historyInterval.toNanos();
                }
                if (now - nextAlerts >= 0) {
                    rules.evaluate(pipeline.report(), slotLag::wal, Instant.now());
                    nextAlerts = now + alertInterval.toNanos();
                }
                Thread.sleep(Math.max(1, Math.min(nextSample - System.nanoTime(), nextAlerts - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // a bug in a rule must not end the watching: log it and go on next time
                log.warn("evaluating alerts failed: {}", e.toString(), e);
                try {
                    Thread.sleep(alertInterval);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(Duration.ofSeconds(5));
        slotLag.close();
    }
}
