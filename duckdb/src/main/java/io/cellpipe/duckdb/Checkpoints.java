package io.cellpipe.duckdb;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.spi.CellCheckpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code _cellpipe.checkpoints}: per cell, the commit LSN up to which the warehouse holds its
 * changes. A row exists from the start of streaming; only a row whose snapshot completed is a
 * checkpoint (without one, the cell must be copied again).
 */
final class Checkpoints {
    private static final String UPSERT = "INSERT INTO " + ControlTables.CHECKPOINTS
            + " (cell_id, lsn, lsn_value, commit_ts, snapshot_completed_at, updated_at, records_acks)"
            + " VALUES (?, ?, CAST(? AS UBIGINT), make_timestamptz(CAST(? AS BIGINT)), %s, current_timestamp, true)"
            + " ON CONFLICT (cell_id) DO UPDATE SET lsn = excluded.lsn, lsn_value = excluded.lsn_value, commit_ts = excluded.commit_ts,"
            + " updated_at = excluded.updated_at, records_acks = true%s";
    private static final String ADVANCE = UPSERT.formatted("NULL", "");
    private static final String COMPLETE = UPSERT.formatted("current_timestamp", ", snapshot_completed_at = excluded.snapshot_completed_at");

    private Checkpoints() {
    }

    static Map<String, CellCheckpoint> read(Connection connection) throws SQLException {
        Map<String, CellCheckpoint> checkpoints = new LinkedHashMap<>();
        // The numeric LSN, not its text: under concurrent writes the driver was seen to hand back the
        // text column with a stray trailing character.
        try (PreparedStatement statement = connection.prepareStatement("SELECT cell_id, lsn_value, epoch_us(commit_ts), coalesce(records_acks, false) FROM "
                + ControlTables.CHECKPOINTS + " WHERE snapshot_completed_at IS NOT NULL ORDER BY cell_id");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                long micros = rows.getLong(3);
                long lsn = ((Number) rows.getObject(2)).longValue();
                checkpoints.put(rows.getString(1), new CellCheckpoint(rows.getString(1), new Lsn(lsn),
                        Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L), rows.getBoolean(4)));
            }
        }
        return checkpoints;
    }

    /** Moves each cell to its stamp, in the caller's transaction (the one that wrote the data). */
    static void advance(Connection connection, Collection<CommitStamp> lastPerCell) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ADVANCE)) {
            for (CommitStamp stamp : lastPerCell) {
                bind(statement, stamp.cellId(), stamp.lsn(), stamp.commitMicros());
                statement.executeUpdate();
            }
        }
    }

    static void complete(Connection connection, String cellId, Lsn consistentPoint, Instant snapshotTime) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(COMPLETE)) {
            bind(statement, cellId, consistentPoint, CommitStamp.micros(snapshotTime));
            statement.executeUpdate();
        }
    }

    static void forget(Connection connection, String cellId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + ControlTables.CHECKPOINTS + " WHERE cell_id = ?")) {
            statement.setString(1, cellId);
            statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, String cellId, Lsn lsn, long commitMicros) throws SQLException {
        statement.setString(1, cellId);
        statement.setString(2, lsn.toString());
        statement.setString(3, Long.toUnsignedString(lsn.value()));
        statement.setLong(4, commitMicros);
    }
}
