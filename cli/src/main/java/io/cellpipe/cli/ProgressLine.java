package io.cellpipe.cli;

import io.cellpipe.core.alert.LogAlertSink;
import io.cellpipe.core.pipeline.CellReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** One cell's state in one line, for logs and the demo's live progress; and snapshot progress with rate and ETA. */
final class ProgressLine {
    private static final int BAR_WIDTH = 20;

    private ProgressLine() {
    }

    static String of(CellReport report) {
        return of(report, Instant.now());
    }

    static String of(CellReport report, Instant now) {
        StringBuilder line = new StringBuilder();
        line.append(report.cellId()).append(' ').append(report.state().name().toLowerCase(Locale.ROOT));
        switch (report.state()) {
            case SNAPSHOTTING -> line.append(' ').append(snapshot(List.of(report), now));
            case STREAMING -> line.append(String.format(Locale.ROOT, " %d changes applied, lag %.1fs, at %s", report.changesApplied(),
                    report.lagSeconds(), report.appliedLsn()));
            case RETRYING, FAILED -> line.append(" (attempt ").append(report.attempts()).append("): ").append(report.lastError());
            default -> line.append(' ').append(report.detail());
        }
        if (!report.stoppedTables().isEmpty()) {
            line.append("; stopped tables: ").append(String.join(", ", report.stoppedTables().keySet()));
        }
        return line.toString();
    }

    /**
     * The snapshots of these cells together: {@code 120,000 of ~500,000 rows (24%), 40,000 rows/s, ETA 9s}.
     * The total is PostgreSQL's estimate, so it is shown with {@code ~} and the ETA only while below it.
     */
    static String snapshot(List<CellReport> reports, Instant now) {
        Progress progress = Progress.of(reports, now);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%,d", progress.done()));
        if (progress.estimated() > 0) {
            line.append(String.format(Locale.ROOT, " of ~%,d rows (%d%%)", progress.estimated(), Math.round(progress.fraction() * 100)));
        } else {
            line.append(" rows copied");
        }
        if (progress.rowsPerSecond() > 0) {
            line.append(String.format(Locale.ROOT, ", %,.0f rows/s", progress.rowsPerSecond()));
            progress.eta().ifPresent(eta -> line.append(", ETA ").append(LogAlertSink.human(eta)));
        }
        return line.toString();
    }

    /** {@code [########------------]}, empty while the total is unknown. */
    static String bar(List<CellReport> reports, Instant now) {
        Progress progress = Progress.of(reports, now);
        if (progress.estimated() <= 0) {
            return "";
        }
        int filled = (int) Math.round(progress.fraction() * BAR_WIDTH);
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
    }

    /** Rows done and estimated over the given cells' snapshots, and the rate since the earliest of them started. */
    record Progress(long done, long estimated, double rowsPerSecond) {
        static Progress of(List<CellReport> reports, Instant now) {
            long done = 0;
            long estimated = 0;
            double rate = 0;
            for (CellReport report : reports) {
                done += report.snapshotRowsDone();
                estimated += report.snapshotRowsEstimated();
                if (report.snapshotStarted() != null) {
                    double seconds = Duration.between(report.snapshotStarted(), now).toMillis() / 1000.0;
                    rate += seconds > 0 ? report.snapshotRowsDone() / seconds : 0;
                }
            }
            return new Progress(done, estimated, rate);
        }

        double fraction() {
            return estimated <= 0 ? 0 : Math.min(1.0, (double) done / estimated);
        }

        Optional<Duration> eta() {
            if (rowsPerSecond <= 0 || estimated <= done) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofSeconds(Math.round((estimated - done) / rowsPerSecond)));
        }
    }
}
