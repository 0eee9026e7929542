package io.cellpipe.core.alert;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.SlotWal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;

/**
 * The pipeline's own alert rules, evaluated over a fresh report of every cell: the freshness
 * objective, the slot's WAL against {@code max_slot_wal_keep_size}, cells that cannot be captured,
 * and stopped tables. Each evaluation raises what holds and resolves what no longer does; alerts
 * of other kinds are left alone.
 */
public final class AlertRules {
    /** Share of {@code max_slot_wal_keep_size} at which the slot alert fires, and below which it resolves. */
    static final double WAL_RAISE_FRACTION = 0.8;
    static final double WAL_RESOLVE_FRACTION = 0.75;
    /** Failed attempts in a row before a retrying cell counts as unreachable (a blip is not worth a page). */
    static final int UNREACHABLE_ATTEMPTS = 3;
    private static final Set<AlertKind> OWN = Set.of(AlertKind.FRESHNESS_SLO, AlertKind.SLOT_WAL_LIMIT, AlertKind.CELL_UNREACHABLE,
            AlertKind.CELL_FAILED, AlertKind.TABLE_STOPPED);

    private final Alerts alerts;
    private final Duration freshnessObjective;

    public AlertRules(Alerts alerts, Duration freshnessObjective) {
        this.alerts = requireNonNull(alerts, "alerts is null");
        this.freshnessObjective = requireNonNull(freshnessObjective, "freshnessObjective is null");
    }

    /**
     * @param slots the latest measurement of each cell's slot, empty when unknown (then its slot alert is left as it is)
     */
    public void evaluate(List<CellReport> reports, Function<String, Optional<SlotWal>> slots, Instant now) {
        Set<String> cells = new HashSet<>();
        for (CellReport report : reports) {
            cells.add(report.cellId());
            freshness(report, now);
            slots.apply(report.cellId()).ifPresent(wal -> slot(report, wal));
            reachability(report);
            stoppedTables(report);
        }
        // a cell that is no longer run has nothing left to alert about
        alerts.resolveWhere(alert -> OWN.contains(alert.kind()) && !cells.contains(alert.cell()));
    }

    private void freshness(CellReport report, Instant now) {
        double seconds = report.freshnessSeconds(now);
        if (Double.isNaN(seconds) || seconds <= freshnessObjective.toSeconds()) {
            alerts.resolve(AlertKind.FRESHNESS_SLO, report.cellId());
            return;
        }
        alerts.raise(AlertKind.FRESHNESS_SLO, report.cellId(), String.format(Locale.ROOT,
                "the warehouse is %s behind cell %s (objective %s): it holds the cell's changes up to %s only. The cell is %s%s."
                        + " See its state and last error in `cellpipe status`",
                LogAlertSink.human(Duration.ofSeconds((long) seconds)), report.cellId(), LogAlertSink.human(freshnessObjective),
                report.currentAsOf(), state(report),
                report.state() == CellState.STREAMING || report.lastError() == null ? "" : "; last error: " + report.lastError()));
    }

    private void slot(CellReport report, SlotWal wal) {
        String cell = report.cellId();
        if (wal.walStatus().equals("lost")) {
            alerts.raise(AlertKind.SLOT_WAL_LIMIT, cell, "the replication slot of cell " + cell + " has lost WAL it needed"
                    + " (max_slot_wal_keep_size was exceeded): changes are gone. Copy the cell again with `cellpipe run --resnapshot "
                    + cell + "`");
            return;
        }
        OptionalDouble used = wal.usedFraction();
        if (wal.walStatus().equals("unreserved") || used.isPresent() && used.getAsDouble() >= WAL_RAISE_FRACTION) {
            alerts.raise(AlertKind.SLOT_WAL_LIMIT, cell, String.format(Locale.ROOT,
                    "the replication slot of cell %s retains %s of WAL, %.0f%% of max_slot_wal_keep_size (%s); past 100%% PostgreSQL"
                            + " removes that WAL and the cell must be copied again. The cell is %s. Make it catch up, or raise"
                            + " max_slot_wal_keep_size on the cell if its disk allows",
                    cell, bytes(wal.retainedBytes()), used.orElse(1.0) * 100, bytes(wal.limitBytes().orElse(0)), state(report)));
        } else if (used.isEmpty() || used.getAsDouble() < WAL_RESOLVE_FRACTION) {
            alerts.resolve(AlertKind.SLOT_WAL_LIMIT, cell);
        }
    }

    private void reachability(CellReport report) {
        String cell = report.cellId();
        switch (report.state()) {
            case STREAMING, SNAPSHOTTING, STOPPED -> {
                alerts.resolve(AlertKind.CELL_UNREACHABLE, cell);
                alerts.resolve(AlertKind.CELL_FAILED, cell);
            }
            case RETRYING -> {
                alerts.resolve(AlertKind.CELL_FAILED, cell);
                if (report.attempts() >= UNREACHABLE_ATTEMPTS) {
                    alerts.raise(AlertKind.CELL_UNREACHABLE, cell, "cell " + cell + " cannot be captured (" + report.attempts()
                            + " failed attempts in a row; retrying with backoff): " + report.lastError());
                }
            }
            case FAILED -> {
                alerts.resolve(AlertKind.CELL_UNREACHABLE, cell);
                alerts.raise(AlertKind.CELL_FAILED, cell, "capture of cell " + cell + " stopped on an error that needs an operator"
                        + " (checked again from time to time): " + report.lastError());
            }
            case STARTING -> {
                // between two attempts: keep whatever the last attempt showed
            }
        }
    }

    private void stoppedTables(CellReport report) {
        String cell = report.cellId();
        report.stoppedTables().forEach((table, reason) -> alerts.raise(AlertKind.TABLE_STOPPED, cell, table,
                "table " + table + " of cell " + cell + " stopped loading; the cell's other tables keep loading. " + reason));
        alerts.resolveWhere(alert -> alert.kind().equals(AlertKind.TABLE_STOPPED) && alert.cell().equals(cell)
                && !report.stoppedTables().containsKey(alert.subject()));
    }

    private static String state(CellReport report) {
        return report.state().name().toLowerCase(Locale.ROOT);
    }

    static String bytes(long bytes) {
        if (bytes < 1024 * 1024) {
            return bytes / 1024 + " kB";
        }
        if (bytes < 1024L * 1024 * 1024) {
            return bytes / (1024 * 1024) + " MB";
        }
        return String.format(Locale.ROOT, "%.1f GB", bytes / (1024.0 * 1024 * 1024));
    }
}
