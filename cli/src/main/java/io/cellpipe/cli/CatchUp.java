package io.cellpipe.cli;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * Waits until the warehouse holds everything a cell committed before a given moment: a marker
 * transaction is committed after that moment, and once the pipeline has applied a commit past the
 * position read before the marker, all earlier commits are in.
 */
final class CatchUp {
    private CatchUp() {
    }

    /** Commits a marker on the cell and returns the position the pipeline must pass. */
    static Lsn mark(String url, String markerSql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            Lsn before;
            try (ResultSet rows = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
                rows.next();
                before = Lsn.parse(rows.getString(1));
            }
            statement.execute(markerSql);
            return before;
        }
    }

    /** True once every cell's applied LSN is past its mark. */
    static boolean await(Pipeline pipeline, Map<String, Lsn> marks, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (CellReport report : pipeline.report()) {
                Lsn mark = marks.get(report.cellId());
                if (mark != null && !report.appliedLsn().isAfter(mark)) {
                    all = false;
                }
            }
            if (all) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
