package io.cellpipe.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * The limit for the snapshot: one {@code COPY (SELECT ...) TO STDOUT} of the whole table in text format, read row
 * by row through PgJDBC and thrown away. The time includes connecting.
 */
final class RawCopyBaseline {
    record Result(long rows, long bytes, long nanos) {
        double rowsPerSecond() {
            return rows / (nanos / 1e9);
        }
    }

    private RawCopyBaseline() {
    }

    static Result run(String url, String table) throws SQLException {
        long started = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(url)) {
            CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY (SELECT * FROM ONLY " + table + ") TO STDOUT");
            long rows = 0;
            long bytes = 0;
            byte[] row;
            while ((row = copy.readFromCopy()) != null) {
                rows++;
                bytes += row.length;
            }
            return new Result(rows, bytes, System.nanoTime() - started);
        }
    }
}
