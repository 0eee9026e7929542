package io.cellpipe.duckdb;

import io.cellpipe.core.model.Change;
import java.sql.SQLException;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Appends every change of a batch, uncoalesced and in order, to the change log ({@code _cellpipe.changes}, see
 * {@link ControlTables}), inside the batch's transaction (the appenders join the transaction their connection has
 * open): a row per change to {@code change_rows} and a row per source transaction to {@code change_commits}.
 */
final class ChangeLogWriter implements AutoCloseable {
    private static final int[] NO_KEY = new int[0];
    private static final byte[] EMPTY_KEY = {'{', '}'};

    private final DuckDBConnection connection;
    private final DuckDBAppender rows;
    private final DuckDBAppender commits;
    private final ChangeLogIds ids;
    private final long uploadedMicros;
    private CommitStamp stamp;
    private long commitId;

    private ChangeLogWriter(DuckDBConnection connection, ChangeLogIds ids, long uploadedMicros) throws SQLException {
        this.connection = connection;
        this.ids = ids;
        this.uploadedMicros = uploadedMicros;
        this.rows = connection.createAppender(ControlTables.SCHEMA, "change_rows");
        DuckDBAppender opened = null;
        try {
            opened = connection.createAppender(ControlTables.SCHEMA, "change_commits");
        } finally {
            if (opened == null) {
                rows.close();
            }
        }
        this.commits = opened;
    }

    static ChangeLogWriter open(DuckDBConnection connection, ChangeLogIds ids, long uploadedMicros) throws SQLException {
        return new ChangeLogWriter(connection, ids, uploadedMicros);
    }

    /**
     * A change as the change log stores it, its images encoded; touches no connection, so changes
     * can be encoded on one thread while another appends them.
     *
     * @param seq the change's position in its transaction
     * @param writer scratch space of the calling thread
     */
    static Row row(CommitStamp stamp, long seq, Change change, TableBinding binding, JsonImage.Writer writer) {
        JsonImage json = binding.json();
        byte[] key = change.identity() == null ? EMPTY_KEY : json.of(change.identity(), binding.hasKey() ? binding.keyIndexes() : NO_KEY, writer);
        return new Row(stamp, seq, binding.qualifiedName(), change.op().code(), key, json.of(change.before(), writer),
                json.of(change.after(), writer));
    }

    void append(Row row) throws SQLException {
        CommitStamp stamp = row.stamp();
        if (stamp != this.stamp) {
            this.stamp = stamp;
            commitId = ids.nextCommit(connection);
            commits.beginRow().append(commitId).append(stamp.cellId()).append(stamp.lsnText()).append(stamp.lsn().value());
            if (stamp.commitMicros() == null) {
                commits.appendNull();
            } else {
                commits.appendEpochMicros(stamp.commitMicros());
            }
            commits.append(stamp.xid()).appendEpochMicros(uploadedMicros).endRow();
        }
        rows.beginRow().append(commitId).append(row.seq()).append(ids.table(connection, row.table())).append(row.op());
        rows.append(row.key());
        appendNullable(row.before());
        appendNullable(row.after());
        rows.endRow();
    }

    /**
     * One change log row before it is appended: images as UTF-8 JSON, {@code before} and
     * {@code after} null when the change has none. Handed from one thread to another, never
     * compared (a record's equality compares arrays by identity).
     */
    record Row(CommitStamp stamp, long seq, String table, String op, byte[] key, byte[] before, byte[] after) {
    }

    /** {@code value} is UTF-8; the appender stores bytes in a VARCHAR (here JSON) column as they are. */
    private void appendNullable(byte[] value) throws SQLException {
        if (value == null) {
            rows.appendNull();
        } else {
            rows.append(value);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            rows.close();
        } finally {
            commits.close();
        }
    }
}
