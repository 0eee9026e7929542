package io.cellpipe.core.cluster;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.alert.AlertKind;
import io.cellpipe.core.alert.Alerts;
import io.cellpipe.core.alert.Severity;
import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.config.ClusterwideConfig;
import io.cellpipe.core.config.IdentityConfig;
import io.cellpipe.core.config.SequenceRange;
import io.cellpipe.core.config.TableSelection;
import io.cellpipe.core.model.TableId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks that need more than one cell, run every {@code identity.check_interval} on one
 * thread: sequences against their cell's ranges (saturation, ids handed out elsewhere), captured
 * rows against their cell's ranges, keys of globally unique tables against every other cell, and
 * clusterwide tables against the majority of cells. Only cells that stream (snapshot complete)
 * are compared, so a cell still copying is never reported as different. A failing check is noted
 * and the others still run.
 */
public final class CrossCellChecks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CrossCellChecks.class);
    /** A cell's sequence has used {@code identity.saturation_alert} of its range: time to allocate the cell a new one. */
    public static final AlertKind SEQUENCE_SATURATION = new AlertKind("sequence_saturation", Severity.WARNING);
    /** A cell's copy of a clusterwide table differs from the majority of cells. */
    public static final AlertKind CLUSTERWIDE_DRIFT = new AlertKind("clusterwide_drift", Severity.WARNING);

    private final Supplier<List<CellConfig>> cells;
    private final Supplier<Set<String>> streaming;
    private final TableSelection tables;
    private final IdentityConfig identity;
    private final ClusterwideConfig clusterwide;
    private final CellInspector inspector;
    private final CrossCellQueries warehouse;
    private final Alerts alerts;
    /** Per cell, table and column: the highest row LSN already checked against the ranges. Touched by the check thread only. */
    private final Map<String, Long> examined = new HashMap<>();
    private final Set<TableId> presented = new HashSet<>();
    private final Set<String> reported = new HashSet<>();
    private volatile CrossCellReport report = CrossCellReport.none();
    private Thread thread;
    private volatile boolean running = true;

    public CrossCellChecks(Supplier<List<CellConfig>> cells, Supplier<Set<String>> streaming, TableSelection tables, IdentityConfig identity,
            ClusterwideConfig clusterwide, CellInspector inspector, CrossCellQueries warehouse, Alerts alerts) {
        this.cells = requireNonNull(cells, "cells is null");
        this.streaming = requireNonNull(streaming, "streaming is null");
        this.tables = requireNonNull(tables, "tables is null");
        this.identity = requireNonNull(identity, "identity is null");
        this.clusterwide = requireNonNull(clusterwide, "clusterwide is null");
        this.inspector = requireNonNull(inspector, "inspector is null");
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
        this.alerts = requireNonNull(alerts, "alerts is null");
    }

    /** Runs the checks every interval on a thread of their own until closed. */
    public CrossCellChecks start() {
        thread = Thread.ofVirtual().name("cross-cell-checks").start(() -> {
            while (running) {
                try {
                    Thread.sleep(identity.checkInterval());
                    runOnce();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.warn("cross-cell checks failed: {}; trying again in {}", e.toString(), identity.checkInterval());
                }
            }
        });
        return this;
    }

    public CrossCellReport report() {
        return report;
    }

    /** One round of every check; what the thread does each interval. */
    public synchronized CrossCellReport runOnce() {
        List<String> problems = new ArrayList<>();
        List<Anomaly> anomalies = new ArrayList<>();
        List<Saturation> saturated = new ArrayList<>();
        Map<String, Double> rangeUsed = new LinkedHashMap<>();
        Set<String> streamingNow = streaming.get();
        List<CellConfig> all = cells.get();
        for (CellConfig cell : all) {
            checkCell(cell, streamingNow.contains(cell.id()), anomalies, rangeUsed, saturated, problems);
        }
        List<CellConfig> comparable = all.stream().filter(cell -> streamingNow.contains(cell.id())).toList();
        Map<TableId, List<String>> keys = new LinkedHashMap<>();
        for (TableId table : identity.globallyUnique()) {
            key(table, comparable, keys, problems).ifPresent(key -> anomalies.addAll(warehouse.collisions(table, key)));
        }
        Map<TableId, List<ClusterwideDifference>> differences = new LinkedHashMap<>();
        compare(clusterwide.staticTables(), "static", comparable, keys, differences, problems);
        compare(clusterwide.settingsTables(), "settings", comparable, keys, differences, problems);
        if (!anomalies.isEmpty()) {
            warehouse.recordAnomalies(anomalies);
            for (Anomaly anomaly : anomalies) {
                if (reported.size() > 100_000 || !reported.add(anomaly.kind() + "\u0000" + anomaly.cellId() + "\u0000" + anomaly.table() + "\u0000"
                        + anomaly.key())) {
                    continue; // logged before; the table has it
                }
                log.warn("anomaly {}: cell {}, table {}, key {}: {}", anomaly.kind().label(), anomaly.cellId(), anomaly.table(), anomaly.key(),
                        anomaly.detail());
            }
        }
        alertOnSaturation(saturated);
        report = new CrossCellReport(Instant.now(), warehouse.anomalyCounts(), rangeUsed, saturated, differences, problems);
        return report;
    }

    private void checkCell(CellConfig cell, boolean streams, List<Anomaly> anomalies, Map<String, Double> rangeUsed, List<Saturation> saturated,
            List<String> problems) {
        if (cell.sequenceRanges().isEmpty()) {
            return;
        }
        List<SequenceUsage> sequences;
        try {
            sequences = inspector.sequences(cell);
        } catch (Exception e) {
            problems.add("cell " + cell.id() + ": cannot read its sequences: " + e.getMessage());
            return;
        }
        for (SequenceUsage sequence : sequences) {
            if (sequence.lastValue().isEmpty()) {
                continue;
            }
            long value = sequence.lastValue().getAsLong();
            Optional<SequenceRange> range = cell.sequenceRanges().stream().filter(candidate -> candidate.contains(value)).findFirst();
            if (range.isEmpty()) {
                anomalies.add(new Anomaly(Anomaly.Kind.SEQUENCE_OUT_OF_RANGE, cell.id(), sequence.table().orElse(TableId.parse(sequence.sequence())),
                        sequence.sequence(), "sequence " + sequence.sequence() + " is at " + value + ", outside the cell's ranges "
                                + cell.sequenceRanges() + "; it hands out ids that belong to another cell or to none"));
            } else {
                double used = range.get().used(value);
                rangeUsed.merge(cell.id(), used, Math::max);
                if (used >= identity.saturationThreshold()) {
                    saturated.add(new Saturation(cell.id(), sequence.sequence(), value, range.get(), used));
                }
            }
            if (streams && sequence.table().isPresent() && sequence.column().isPresent()) {
                checkRows(cell, sequence.table().get(), sequence.column().get(), anomalies, problems);
            }
        }
    }

    private void checkRows(CellConfig cell, TableId table, String column, List<Anomaly> anomalies, List<String> problems) {
        if (!tables.includes(table) || clusterwide.staticTables().contains(table) || clusterwide.settingsTables().contains(table)
                || !warehouse.hasColumn(table, column)) {
            return;
        }
        String where = cell.id() + '\u0000' + table + '\u0000' + column;
        try {
            CrossCellQueries.OutOfRange found = warehouse.outOfRange(cell.id(), table, column, cell.sequenceRanges(),
                    examined.getOrDefault(where, -1L));
            anomalies.addAll(found.anomalies());
            examined.put(where, found.examinedUpTo());
        } catch (RuntimeException e) {
            problems.add("cell " + cell.id() + ": cannot check " + table + "." + column + " against its ranges: " + e.getMessage());
        }
    }

    /** The table's key as the first comparable cell that has the table reports it. */
    private Optional<List<String>> key(TableId table, List<CellConfig> comparable, Map<TableId, List<String>> keys, List<String> problems) {
        if (keys.containsKey(table)) {
            return Optional.of(keys.get(table));
        }
        for (CellConfig cell : comparable) {
            try {
                List<String> key = inspector.primaryKey(cell, table);
                if (!key.isEmpty()) {
                    keys.put(table, key);
                    return Optional.of(key);
                }
            } catch (Exception e) {
                problems.add("cell " + cell.id() + ": cannot read the primary key of " + table + ": " + e.getMessage());
            }
        }
        if (!comparable.isEmpty()) {
            problems.add(table + " has no primary key in any streaming cell (or does not exist); it cannot be compared across cells");
        }
        return Optional.empty();
    }

    private void compare(List<TableId> clusterwideTables, String kind, List<CellConfig> comparable, Map<TableId, List<String>> keys,
            Map<TableId, List<ClusterwideDifference>> differences, List<String> problems) {
        List<String> cellIds = comparable.stream().map(CellConfig::id).toList();
        for (TableId table : clusterwideTables) {
            Optional<List<String>> key = key(table, comparable, keys, problems);
            if (key.isEmpty() || !warehouse.hasColumn(table, key.get().get(0))) {
                continue;
            }
            try {
                if (kind.equals("static") && !presented.contains(table)) {
                    warehouse.presentOnce(table, key.get());
                    presented.add(table); // only once it exists: a failed attempt is tried again next time
                }
                List<ClusterwideDifference> found = cellIds.size() < 2 ? List.of() : warehouse.differences(table, key.get(), cellIds);
                warehouse.recordDifferences(table, kind, found);
                differences.put(table, found);
                alertOnDifferences(table, kind, found);
            } catch (RuntimeException e) {
                problems.add("cannot compare the cells' copies of " + table + ": " + e.getMessage());
            }
        }
    }

    /** One alert per table and cell that differs; resolved when that cell agrees again. */
    private void alertOnDifferences(TableId table, String kind, List<ClusterwideDifference> found) {
        Map<String, List<ClusterwideDifference>> byCell = new TreeMap<>();
        found.forEach(difference -> byCell.computeIfAbsent(difference.cellId(), cell -> new ArrayList<>()).add(difference));
        byCell.forEach((cell, differences) -> {
            ClusterwideDifference first = differences.get(0);
            alerts.raise(CLUSTERWIDE_DRIFT, cell, table.qualified(), kind + " table " + table + " differs in cell " + cell
                    + " from the majority of cells: " + differences.size() + " differences, e.g. key " + first.key() + " column " + first.column()
                    + "; see _cellpipe.clusterwide_differences and make the cell's copy agree");
        });
        alerts.resolveWhere(alert -> alert.kind().equals(CLUSTERWIDE_DRIFT) && alert.subject().equals(table.qualified())
                && !byCell.containsKey(alert.cell()));
    }

    private void alertOnSaturation(List<Saturation> saturated) {
        Set<String> now = new HashSet<>();
        for (Saturation saturation : saturated) {
            now.add(saturation.cellId() + '\u0000' + saturation.sequence());
            alerts.raise(SEQUENCE_SATURATION, saturation.cellId(), saturation.sequence(), saturation.describe()
                    + "; allocate the cell a new sequence range");
        }
        alerts.resolveWhere(alert -> alert.kind().equals(SEQUENCE_SATURATION) && !now.contains(alert.cell() + '\u0000' + alert.subject()));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(10));
        }
    }
}
