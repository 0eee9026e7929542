package io.cellpipe.duckdb;

import io.cellpipe.core.model.Change;
import java.sql.SQLException;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Appends every change of a batch, uncoalesced and in order, to {@code _cellpipe.changes}, inside
 * the batch's transaction (the appender joins the transaction its connection has open).
 */
final class ChangeLogWriter implements AutoCloseable {
    private static final int[] NO_KEY = new int[0];
    private static final byte[] EMPTY_KEY = {'{', '}'};

    private final DuckDBAppender appender;
    private final long uploadedMicros;
    private final JsonImage.Writer writer = new JsonImage.Writer();

    private ChangeLogWriter(DuckDBAppender appender, long uploadedMicros) {
        this.appender = appender;
        this.uploadedMicros = uploadedMicros;
    }

    static ChangeLogWriter open(DuckDBConnection connection, long uploadedMicros) throws SQLException {
        return new ChangeLogWriter(connection.createAppender(ControlTables.SCHEMA, ControlTables.CHANGES), uploadedMicros);
    }

    /** @param seq the change's position in its transaction */
    void append(CommitStamp stamp, long seq, Change change, TableBinding binding) throws SQLException {
        appender.beginRow().append(stamp.cellId()).append(stamp.lsnText()).append(stamp.lsn().value());
        if (stamp.commitMicros() == null) {
            appender.appendNull();
        } else {
            appender.appendEpochMicros(stamp.commitMicros());
        }
        appender.append(stamp.xid()).append(binding.qualifiedName()).append(change.op().code()).append(seq);
        JsonImage json = binding.json();
        appender.append(change.identity() == null ? EMPTY_KEY : json.of(change.identity(), binding.hasKey() ? binding.keyIndexes() : NO_KEY, writer));
        appendNullable(json.of(change.before(), writer));
        appendNullable(json.of(change.after(), writer));
        appender.appendEpochMicros(uploadedMicros).endRow();
    }

    /** {@code value} is UTF-8; the appender stores bytes in a VARCHAR (here JSON) column as they are. */
    private void appendNullable(byte[] value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else {
            appender.append(value);
        }
    }

    @Override
    public void close() throws SQLException {
        appender.close();
    }
}
