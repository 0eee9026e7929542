package io.cellpipe.duckdb;

import io.cellpipe.core.model.KeyRange;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.ResyncProgress;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.spi.Resync;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code _cellpipe.resyncs}: resync requests and their progress. A chunk's progress is written in
 * the transaction that writes the chunk's rows ({@link #advance}), so after a crash a resync resumes
 * after its last durable chunk.
 */
final class Resyncs {
    private static final String COLUMNS = "id, cell_id, table_name, key_range, chunk_rows, state, since_lsn, last_key, rows_done,"
            + " epoch_us(requested_at), epoch_us(updated_at), detail";

    private Resyncs() {
    }

    static String createSql() {
        return "CREATE TABLE IF NOT EXISTS " + ControlTables.RESYNCS + " (id VARCHAR PRIMARY KEY, cell_id VARCHAR NOT NULL,"
                + " table_name VARCHAR NOT NULL, key_range VARCHAR, chunk_rows INTEGER NOT NULL, state VARCHAR NOT NULL,"
                + " since_lsn UBIGINT, last_key VARCHAR, rows_done BIGINT NOT NULL, requested_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                + " updated_at TIMESTAMP WITH TIME ZONE NOT NULL, detail VARCHAR, failed_attempts INTEGER DEFAULT 0)";
    }

    /** See {@link io.cellpipe.core.spi.Destination#recordResyncFailure}. */
    static boolean recordFailure(Connection connection, String id, String reason) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE " + ControlTables.RESYNCS
                + " SET failed_attempts = coalesce(failed_attempts, 0) + 1, updated_at = current_timestamp,"
                + " state = CASE WHEN coalesce(failed_attempts, 0) + 1 >= ? THEN 'failed' ELSE state END,"
                + " detail = CASE WHEN coalesce(failed_attempts, 0) + 1 >= ? THEN 'gave up after ' || (coalesce(failed_attempts, 0) + 1)"
                + " || ' failed attempts; the last: '"
                + " || ? ELSE ? END"
                + " WHERE id = ? AND state IN ('pending', 'running') RETURNING state")) {
            statement.setInt(1, Resync.MAX_FAILED_ATTEMPTS);
            statement.setInt(2, Resync.MAX_FAILED_ATTEMPTS);
            statement.setString(3, reason);
            statement.setString(4, reason);
            statement.setString(5, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getString(1).equals("failed");
            }
        }
    }

    /**
     * A warehouse written before resyncs took key ranges has a {@code where_clause} column of free SQL
     * predicates: it gains {@code key_range}, and an unfinished request with a predicate fails rather
     * than have its SQL run.
     */
    static void migrate(Connection connection) throws SQLException {
        SqlTransaction.execute(connection, "ALTER TABLE " + ControlTables.RESYNCS
                + " ADD COLUMN IF NOT EXISTS failed_attempts INTEGER DEFAULT 0");
        boolean old;
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = 'resyncs' AND column_name = 'where_clause'")) {
            statement.setString(1, ControlTables.SCHEMA);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                old = rows.getLong(1) > 0;
            }
        }
        if (!old) {
            return;
        }
        SqlTransaction.execute(connection, "ALTER TABLE " + ControlTables.RESYNCS + " ADD COLUMN IF NOT EXISTS key_range VARCHAR");
        SqlTransaction.execute(connection, "UPDATE " + ControlTables.RESYNCS + " SET state = 'failed', updated_at = current_timestamp,"
                + " detail = 'refused: a SQL predicate (--where) is no longer run; request it again with --from-key/--to-key'"
                + " WHERE where_clause IS NOT NULL AND state IN ('pending', 'running')");
    }

    static void request(Connection connection, Resync request) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + ControlTables.RESYNCS + " (id, cell_id, table_name,"
                + " key_range, chunk_rows, state, rows_done, requested_at, updated_at, detail)"
                + " VALUES (?, ?, ?, ?, ?, ?, 0, make_timestamptz(CAST(? AS BIGINT)), current_timestamp, ?)")) {
            statement.setString(1, request.id());
            statement.setString(2, request.cellId());
            statement.setString(3, request.table());
            statement.setString(4, request.range() == null ? null : request.range().toJson());
            statement.setInt(5, request.chunkRows());
            statement.setString(6, request.state().name().toLowerCase(java.util.Locale.ROOT));
            statement.setLong(7, CommitStamp.micros(request.requestedAt()));
            statement.setString(8, request.detail());
            statement.executeUpdate();
        }
    }

    static List<Resync> read(Connection connection) throws SQLException {
        List<Resync> resyncs = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + ControlTables.RESYNCS
                + " ORDER BY requested_at, id");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                Object since = rows.getObject(7);
                resyncs.add(new Resync(rows.getString(1), rows.getString(2), rows.getString(3), KeyRange.fromJson(rows.getString(4)), rows.getInt(5),
                        Resync.State.valueOf(rows.getString(6).toUpperCase(java.util.Locale.ROOT)),
                        since == null ? null : new Lsn(((Number) since).longValue()), rows.getString(8), rows.getLong(9),
                        instant(rows.getLong(10)), instant(rows.getLong(11)), rows.getString(12)));
            }
        }
        return resyncs;
    }

    static void finish(Connection connection, String id, Resync.State state, String detail) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE " + ControlTables.RESYNCS
                + " SET state = ?, detail = coalesce(?, detail), updated_at = current_timestamp WHERE id = ?")) {
            statement.setString(1, state.name().toLowerCase(java.util.Locale.ROOT));
            statement.setString(2, detail);
            statement.setString(3, id);
            statement.executeUpdate();
        }
    }

    /**
     * A cell copied again needs none of its unfinished resyncs; resuming one would even be wrong: its
     * first low watermark predates the copy, whose rows would look unwritten since.
     */
    static void supersede(Connection connection, String cellId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE " + ControlTables.RESYNCS
                + " SET state = 'done', detail = 'superseded: the cell was copied again', updated_at = current_timestamp"
                + " WHERE cell_id = ? AND state IN ('pending', 'running')")) {
            statement.setString(1, cellId);
            statement.executeUpdate();
        }
    }

    /**
     * Records a chunk's progress, in the caller's transaction (the one writing the chunk's rows).
     * On the last chunk, rows of the table the warehouse has not written since the resync's first
     * low watermark are rows the source no longer has: they are marked deleted (removed with hard deletes).
     *
     * @param changeLog the change log's numbers; null when the change log is off
     */
    static void advance(Connection connection, ResyncProgress progress, CommitStamp stamp, WarehouseTable table, boolean hardDeletes,
            ChangeLogIds changeLog) throws SQLException {
        if (progress.finished() && table != null) {
            if (changeLog != null) {
                logDeletions(connection, progress, stamp, table, hardDeletes, changeLog);
            }
            markDeletedSince(connection, progress, stamp, table, hardDeletes);
        }
        try (PreparedStatement statement = connection.prepareStatement("UPDATE " + ControlTables.RESYNCS
                + " SET state = ?, since_lsn = CAST(? AS UBIGINT), last_key = ?, rows_done = ?, updated_at = current_timestamp WHERE id = ?")) {
            statement.setString(1, progress.finished() ? "done" : "running");
            statement.setString(2, Long.toUnsignedString(progress.since().value()));
            statement.setString(3, progress.lastKey());
            statement.setLong(4, progress.rowsDone());
            statement.setString(5, progress.resyncId());
            statement.executeUpdate();
        }
    }

    /** The rows a finished resync decides on: its cell's, not written since it started, within its key range (bound by {@link #bindScope}). */
    private static String scope(ResyncProgress progress, boolean hardDeletes, WarehouseTable table) {
        StringBuilder scope = new StringBuilder(" WHERE _cell_id = ? AND _lsn_value < CAST(? AS UBIGINT)")
                .append(hardDeletes ? "" : " AND NOT \"_deleted\"");
        KeyRange range = progress.range();
        if (range != null) {
            List<io.cellpipe.core.model.Column> keys = progress.table().keyColumns();
            if (range.from() != null) {
                scope.append(" AND ").append(compare(table, keys, ">=", range.from().size()));
            }
            if (range.to() != null) {
                scope.append(" AND ").append(compare(table, keys, "<=", range.to().size()));
            }
        }
        return scope.toString();
    }

    private static String compare(WarehouseTable table, List<io.cellpipe.core.model.Column> keys, String operator, int width) {
        StringBuilder columns = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < width; i++) {
            int index = table.indexOf(keys.get(i).name());
            if (index < 0) {
                throw new WarehouseException("the key column " + keys.get(i).name() + " of " + table.id() + " is not in the warehouse", null);
            }
            WarehouseColumn column = table.columns().get(index);
            columns.append(i == 0 ? "" : ", ").append(column.quoted());
            values.append(i == 0 ? "" : ", ").append("CAST(? AS ").append(column.sqlType()).append(')');
        }
        return width == 1 ? columns + " " + operator + " " + values : "(" + columns + ") " + operator + " (" + values + ")";
    }

    /** Binds what {@link #scope} asks, from {@code parameter} on; returns the next parameter's index. */
    private static void bindScope(PreparedStatement statement, int parameter, ResyncProgress progress, String cellId) throws SQLException {
        statement.setString(parameter++, cellId);
        statement.setString(parameter++, Long.toUnsignedString(progress.since().value()));
        KeyRange range = progress.range();
        if (range == null) {
            return;
        }
        for (List<String> bound : java.util.Arrays.asList(range.from(), range.to())) {
            if (bound != null) {
                for (String value : bound) {
                    statement.setString(parameter++, value);
                }
            }
        }
    }

    /** The deletions a resync finds go to the change log like any delete, keyed by the key columns' text. */
    private static void logDeletions(Connection connection, ResyncProgress progress, CommitStamp stamp, WarehouseTable table,
            boolean hardDeletes, ChangeLogIds ids) throws SQLException {
        StringBuilder key = new StringBuilder("json_object(");
        for (io.cellpipe.core.model.Column column : progress.table().keyColumns()) {
            if (table.indexOf(column.name()) >= 0) {
                key.append(key.length() > 12 ? ", " : "").append("'").append(column.name().replace("'", "''")).append("', CAST(")
                        .append(TableId.quote(column.name())).append(" AS VARCHAR)");
            }
        }
        key.append(')');
        long commitId = ids.nextCommit(connection);
        int tableId = ids.table(connection, table.id().qualified());
        try (PreparedStatement commit = connection.prepareStatement("INSERT INTO " + ControlTables.CHANGE_COMMITS
                + " VALUES (?, ?, ?, CAST(? AS UBIGINT), make_timestamptz(CAST(? AS BIGINT)), 0, current_timestamp)")) {
            commit.setLong(1, commitId);
            commit.setString(2, stamp.cellId());
            commit.setString(3, stamp.lsnText());
            commit.setString(4, Long.toUnsignedString(stamp.lsn().value()));
            commit.setLong(5, stamp.commitMicros());
            commit.executeUpdate();
        }
        String sql = "INSERT INTO " + ControlTables.CHANGE_ROWS + " (commit_id, seq, table_id, op, \"key\", \"before\", \"after\")"
                + " SELECT ?, -1, ?, 'd', " + key + ", NULL, NULL FROM " + table.quotedName() + scope(progress, hardDeletes, table);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, commitId);
            statement.setInt(2, tableId);
            bindScope(statement, 3, progress, stamp.cellId());
            statement.executeUpdate();
        }
    }

    private static void markDeletedSince(Connection connection, ResyncProgress progress, CommitStamp stamp, WarehouseTable table,
            boolean hardDeletes) throws SQLException {
        String scope = scope(progress, hardDeletes, table);
        String sql = hardDeletes ? "DELETE FROM " + table.quotedName() + scope
                : "UPDATE " + table.quotedName() + " SET \"_deleted\" = true, \"_op\" = 'd', \"_lsn\" = ?, \"_lsn_value\" = CAST(? AS UBIGINT),"
                        + " \"_commit_ts\" = make_timestamptz(CAST(? AS BIGINT)), \"_uploaded_at\" = current_timestamp" + scope;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int parameter = 1;
            if (!hardDeletes) {
                statement.setString(parameter++, stamp.lsnText());
                statement.setString(parameter++, Long.toUnsignedString(stamp.lsn().value()));
                statement.setLong(parameter++, stamp.commitMicros());
            }
            bindScope(statement, parameter, progress, stamp.cellId());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new WarehouseException(stamp.cellId() + ": resync " + progress.resyncId() + " of " + table.id()
                    + ": cannot mark the rows the cell no longer has as deleted" + (progress.range() == null ? "" : " (" + progress.range() + ")")
                    + ": " + e.getMessage(), e);
        }
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
