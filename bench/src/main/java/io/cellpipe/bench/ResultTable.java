package io.cellpipe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results of one run as Markdown: printed, and written between the result markers of docs/BENCHMARKS.md
 * (the rest of that page, which explains the method, is left as it is).
 */
final class ResultTable {
    static final String BEGIN = "<!-- bench-results:begin (written by ./bench/run.sh) -->";
    static final String END = "<!-- bench-results:end -->";
    private static final double GOAL_RATIO = 0.80;
    private static final double GOAL_STREAMING_OVER_DEBEZIUM = 3;
    private static final double GOAL_SNAPSHOT_OVER_DEBEZIUM = 5;
    private static final double GOAL_P99_MILLIS = 1000;
    private static final long GOAL_PEAK_MIB = 512;

    private final BenchOptions options;
    private final MachineInfo machine;
    private final String loadAtStart;
    private final String loadAtEnd;
    private final Phases.Streaming streaming;
    private final Phases.Snapshot snapshot;
    private final Phases.Latency latency;
    private final Phases.Memory memory;
    private final String chart;

    /** A measurement that was not run is null and left out; {@code chart} is the chart's file name next to the page, or null. */
    ResultTable(BenchOptions options, MachineInfo machine, String loadAtStart, String loadAtEnd, Phases.Streaming streaming,
            Phases.Snapshot snapshot, Phases.Latency latency, Phases.Memory memory, String chart) {
        this.options = options;
        this.machine = machine;
        this.loadAtStart = loadAtStart;
        this.loadAtEnd = loadAtEnd;
        this.streaming = streaming;
        this.snapshot = snapshot;
        this.latency = latency;
        this.memory = memory;
        this.chart = chart;
    }

    String markdown() {
        List<String> gaps = new ArrayList<>();
        StringBuilder md = new StringBuilder();
        md.append("### ").append(options.quick() ? "`--quick` run" : "Full run").append(", ").append(LocalDate.now()).append("\n\n");
        md.append("- Command: `").append(options.command()).append("`\n");
        md.append("- Machine: ").append(machine.processors()).append(" CPUs (").append(machine.cpuModel()).append("), ")
                .append(String.format(Locale.ROOT, "%.1f GiB", machine.memoryMiB() / 1024.0)).append(" RAM; ")
                .append(machine.postgres()).append(" (one embedded cell, `EmbeddedCell` defaults: fsync off, shared_buffers 64MB); JDK ")
                .append(machine.jdk()).append("\n");
        md.append("- Load average (1/5/15 min) at start: ").append(loadAtStart).append("; at end: ").append(loadAtEnd)
                .append(". PostgreSQL, the benchmark and cellpipe share these CPUs, and other builds may have been running.\n\n");
        md.append("| measure | workload | baseline, same run | cellpipe | cellpipe / baseline | goal | met |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        if (streaming != null) {
            double ratio = streaming.cellpipePerSecond() / streaming.raw().changesPerSecond();
            boolean met = ratio >= GOAL_RATIO;
            md.append(row("streaming", f("%,d changes in %,d transactions (+1 marker)", streaming.workloadChanges() - 1, streaming.transactions()),
                    f("raw pgoutput reader: **%,.0f changes/s** (%,d changes, %.2f s)", streaming.raw().changesPerSecond(), streaming.raw().changes(),
                            streaming.raw().nanos() / 1e9),
                    f("**%,.0f changes/s** (%,d changes, %.2f s)", streaming.cellpipePerSecond(), streaming.cellpipeChanges(),
                            streaming.cellpipeNanos() / 1e9),
                    f("%.0f %%", ratio * 100), ">= 80 %", met));
            if (!met) {
                gaps.add(f("Streaming reaches %.0f %% of the raw pgoutput rate (goal 80 %%).", ratio * 100));
            }
            if (streaming.cellpipeChanges() != streaming.raw().changes()) {
                gaps.add(f("Streaming change counts differ: raw reader %,d, cellpipe %,d.", streaming.raw().changes(), streaming.cellpipeChanges()));
            }
            DebeziumBaseline.Result debezium = streaming.debezium();
            if (debezium != null) {
                double times = streaming.cellpipePerSecond() / debezium.eventsPerSecond();
                boolean timesMet = times >= GOAL_STREAMING_OVER_DEBEZIUM;
                md.append(row("streaming, against Debezium", "the same changes, read from a slot of its own",
                        f("Debezium %s embedded engine, JSON: **%,.0f changes/s** (%,d events, %.2f s, the first after %.2f s)", debezium.version(),
                                debezium.eventsPerSecond(), debezium.events(), debezium.nanos() / 1e9, debezium.firstEventNanos() / 1e9),
                        f("**%,.0f changes/s**", streaming.cellpipePerSecond()), f("%.2f×", times), ">= 3×", timesMet));
                if (!timesMet) {
                    double needed = GOAL_STREAMING_OVER_DEBEZIUM * debezium.eventsPerSecond();
                    gaps.add(f("Streaming is %.2f× Debezium's rate (goal 3×).", times) + (needed > streaming.raw().changesPerSecond()
                            ? f(" In this run 3× Debezium (%,.0f changes/s) is above the raw pgoutput rate (%,.0f changes/s), which no reader"
                                    + " of the same slot can exceed: the goal cannot be met on this machine.", needed, streaming.raw().changesPerSecond())
                            : ""));
                }
                if (debezium.events() != streaming.cellpipeChanges()) {
                    gaps.add(f("Streaming change counts differ: Debezium %,d events, cellpipe %,d changes.", debezium.events(),
                            streaming.cellpipeChanges()));
                }
            }
        }
        if (snapshot != null) {
            double ratio = snapshot.cellpipePerSecond() / snapshot.raw().rowsPerSecond();
            boolean met = ratio >= GOAL_RATIO;
            md.append(row("snapshot", f("%,d rows, 11 columns (%,d MiB as COPY text)", snapshot.tableRows(), snapshot.raw().bytes() >> 20),
                    f("one `COPY ... TO STDOUT`: **%,.0f rows/s** (%.2f s)", snapshot.raw().rowsPerSecond(), snapshot.raw().nanos() / 1e9),
                    f("**%,.0f rows/s** (%,d rows, %.2f s, %d connections)", snapshot.cellpipePerSecond(), snapshot.cellpipeRows(),
                            snapshot.cellpipeNanos() / 1e9, snapshot.parallelism()),
                    f("%.0f %%", ratio * 100), ">= 80 %", met));
            if (!met) {
                gaps.add(f("The snapshot reaches %.0f %% of one raw COPY (goal 80 %%).", ratio * 100));
            }
            DebeziumBaseline.Result debezium = snapshot.debezium();
            if (debezium != null) {
                double times = snapshot.cellpipePerSecond() / debezium.eventsPerSecond();
                boolean timesMet = times >= GOAL_SNAPSHOT_OVER_DEBEZIUM;
                md.append(row("snapshot, against Debezium", "the same table",
                        f("Debezium %s initial snapshot, JSON: **%,.0f rows/s** (%,d events, %.2f s, the first after %.2f s)", debezium.version(),
                                debezium.eventsPerSecond(), debezium.events(), debezium.nanos() / 1e9, debezium.firstEventNanos() / 1e9),
                        f("**%,.0f rows/s**", snapshot.cellpipePerSecond()), f("%.2f×", times), ">= 5×", timesMet));
                if (!timesMet) {
                    double needed = GOAL_SNAPSHOT_OVER_DEBEZIUM * debezium.eventsPerSecond();
                    gaps.add(f("The snapshot is %.2f× Debezium's rate (goal 5×).", times) + (needed > snapshot.raw().rowsPerSecond()
                            ? f(" In this run 5× Debezium (%,.0f rows/s) is above one raw COPY (%,.0f rows/s).", needed, snapshot.raw().rowsPerSecond())
                            : ""));
                }
            }
        }
        if (latency != null) {
            LatencyRecorder.Percentiles p = latency.percentiles();
            boolean met = p.p99Millis() <= GOAL_P99_MILLIS;
            md.append(row("latency, commit on the cell to committed in DuckDB",
                    f("%,d changes/s asked, %,.0f achieved, %.1f s after %d s warm-up; %,d transactions of %d changes", latency.targetRate(),
                            latency.load().changesPerSecond(), latency.load().nanos() / 1e9, latency.warmUp().toSeconds(),
                            p.samples(), latency.load().transactions() == 0 ? 0 : latency.load().changes() / latency.load().transactions()),
                    "-",
                    f("p50 **%.0f ms**, p95 **%.0f ms**, p99 **%.0f ms**, max %.0f ms", p.p50Millis(), p.p95Millis(), p.p99Millis(), p.maxMillis()),
                    "-", "p99 <= 1 s", met));
            if (!met) {
                gaps.add(f("p99 latency is %.0f ms (goal 1 s).", p.p99Millis()));
            }
        }
        if (memory != null) {
            long peakMiB = memory.peakKiB() / 1024;
            boolean met = peakMiB <= GOAL_PEAK_MIB;
            md.append(row("memory, peak RSS of a pipeline JVM",
                    f("one transaction of %,d inserts, applied in %.1f s after its first row was written", memory.rows(), memory.applySeconds()),
                    f("RSS of the same JVM once streaming, before the transaction: %,d MiB", memory.rssAfterStartKiB() / 1024),
                    f("**%,d MiB** (VmHWM; %,d changes applied)", peakMiB, memory.changesApplied()), "-", "<= 512 MiB", met));
            if (!met) {
                gaps.add(f("Peak RSS is %,d MiB (goal 512 MiB).", peakMiB));
            }
            long snapshotPeakMiB = memory.snapshotPeakKiB() / 1024;
            boolean snapshotMet = snapshotPeakMiB <= GOAL_PEAK_MIB;
            md.append(row("memory, peak RSS of a pipeline JVM copying a table",
                    f("the snapshot of a table of %,d rows, streaming %.1f s after the process started", memory.snapshotRows(),
                            memory.snapshotSeconds()),
                    "-", f("**%,d MiB** (VmHWM)", snapshotPeakMiB), "-", "<= 512 MiB", snapshotMet));
            if (!snapshotMet) {
                gaps.add(f("Peak RSS while copying a table is %,d MiB (goal 512 MiB).", snapshotPeakMiB));
            }
        }
        md.append("\n");
        if (gaps.isEmpty()) {
            md.append("Every goal measured in this run was met.\n");
        } else {
            md.append("Goals not met in this run:\n\n");
            gaps.forEach(gap -> md.append("- ").append(gap).append("\n"));
        }
        if (chart != null) {
            md.append("\n![Throughput by system in this run: raw baseline, cellpipe and Debezium](").append(chart).append(")\n");
        }
        return md.toString();
    }

    /** Replaces the results between the markers, or appends them with the markers when the page has none. */
    void writeInto(Path page) throws IOException {
        String block = BEGIN + "\n\n" + markdown() + "\n" + END;
        String text = Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : "# Benchmarks\n\n";
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        String updated = begin >= 0 && end > begin
                ? text.substring(0, begin) + block + text.substring(end + END.length())
                : text + (text.endsWith("\n") ? "\n" : "\n\n") + block + "\n";
        Files.writeString(page, updated, StandardCharsets.UTF_8);
    }

    private static String row(String measure, String workload, String baseline, String cellpipe, String ratio, String goal, boolean met) {
        return "| " + String.join(" | ", measure, workload, baseline, cellpipe, ratio, goal, met ? "yes" : "**no**") + " |\n";
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
