package io.cellpipe.cli;

import io.cellpipe.core.pipeline.CellReport;
import java.util.Locale;

/** One cell's state in one line, for logs and the demo's live progress. */
final class ProgressLine {
    private ProgressLine() {
    }

    static String of(CellReport report) {
        StringBuilder line = new StringBuilder();
        line.append(report.cellId()).append(' ').append(report.state().name().toLowerCase(Locale.ROOT));
        switch (report.state()) {
            case SNAPSHOTTING -> line.append(' ').append(report.snapshotRows().values().stream().mapToLong(Long::longValue).sum())
                    .append(" rows copied");
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
}
