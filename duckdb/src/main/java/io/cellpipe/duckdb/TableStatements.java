package io.cellpipe.duckdb;

import io.cellpipe.core.model.TableId;
import java.util.ArrayList;
import java.util.List;

/**
 * The set-based statements that move staged rows into one warehouse table. Staged text is cast to
 * each column's current type here, in DuckDB, a whole vector at a time.
 */
final class TableStatements {
    private static final String METADATA_COLUMNS = "\"_lsn\", \"_lsn_value\", \"_op\", \"_commit_ts\", \"_deleted\", \"_uploaded_at\"";
    // _uploaded_at: DuckDB's current_timestamp is the transaction's start, the same for the whole batch
    private static final String STAGED_METADATA = "staged._lsn, staged._lsn_value, staged._op, staged._commit_ts, staged._deleted, current_timestamp";

    private final WarehouseTable table;
    private final String staging;
    private final int[] keyPositions;
    private final boolean[] isKey;

    /** @param keyPositions warehouse positions of the key columns; empty for an append-only table */
    TableStatements(WarehouseTable table, String staging, int[] keyPositions) {
        this.table = table;
        this.staging = staging;
        this.keyPositions = keyPositions.clone();
        this.isKey = new boolean[table.width()];
        for (int position : keyPositions) {
            isKey[position] = true;
        }
    }

    /** Appends every staged row as a new warehouse row: snapshot loads and tables without a key. */
    String insertAll() {
        return "INSERT INTO " + table.quotedName() + " (" + allColumns() + ") SELECT staged._cell_id, " + castAll() + STAGED_METADATA
                + " FROM " + staging + " AS staged";
    }

    /**
     * Upserts the staged rows by cell and key, in order: (hard deletes) remove the rows a staged
     * delete matches; update the rows a staged row matches; insert the staged rows that match
     * nothing. A kept column keeps the warehouse's value; a staged delete sets {@code _deleted}
     * (soft) or removes the row (hard), and a delete of a row the warehouse never had leaves a
     * tombstone (soft) or nothing (hard). Each key is staged once, so every statement sees each
     * warehouse row at most once.
     *
     * <p>Not one {@code MERGE}: DuckDB keeps the rows a {@code MERGE} inserts in the transaction's
     * memory until the commit, while an {@code INSERT} writes full row groups of a large
     * transaction to the database file as it goes, so a source transaction of millions of rows,
     * applied in one DuckDB transaction, does not pile up in memory (docs/BENCHMARKS.md).
     */
    List<String> upsert(boolean hardDeletes) {
        List<String> statements = new ArrayList<>();
        if (hardDeletes) {
            statements.add("DELETE FROM " + table.quotedName() + " AS target USING " + staging + " AS staged WHERE "
                    + keyMatch("target", "staged", false) + " AND staged._deleted");
        }
        StringBuilder update = new StringBuilder("UPDATE ").append(table.quotedName()).append(" AS target SET ");
        for (int position = 0; position < table.width(); position++) {
            if (!isKey[position]) {
                String column = table.column(position).quoted();
                update.append(column).append(" = CASE WHEN staged._keep[").append(position + 1).append("] THEN target.").append(column)
                        .append(" ELSE ").append(cast(position)).append(" END, ");
            }
        }
        update.append("\"_lsn\" = staged._lsn, \"_lsn_value\" = staged._lsn_value, \"_op\" = staged._op, \"_commit_ts\" = staged._commit_ts,"
                + " \"_deleted\" = staged._deleted, \"_uploaded_at\" = current_timestamp");
        update.append(" FROM ").append(staging).append(" AS staged WHERE ").append(keyMatch("target", "staged", false));
        statements.add(update.toString());
        statements.add("INSERT INTO " + table.quotedName() + " (" + allColumns() + ") SELECT staged._cell_id, " + castAll() + STAGED_METADATA
                + " FROM " + staging + " AS staged WHERE " + (hardDeletes ? "NOT staged._deleted AND " : "") + "NOT EXISTS (SELECT 1 FROM "
                + table.quotedName() + " AS target WHERE " + keyMatch("target", "staged", false) + ")");
        return statements;
    }

    /**
     * For rows whose key changed: makes the row at the new key a copy of the warehouse row at the
     * old key, so the {@link #upsert} that follows keeps that row's values where it keeps any (an
     * unchanged TOAST value travels with the row to its new key). Runs before the upsert, which may
     * delete the old row.
     */
    String copyMoved() {
        StringBuilder select = new StringBuilder("SELECT staged._cell_id AS _cell_id");
        for (int position = 0; position < table.width(); position++) {
            select.append(", ").append(isKey[position] ? cast(position) : "origin." + table.column(position).quoted()).append(" AS p")
                    .append(position);
        }
        select.append(", origin._lsn, origin._lsn_value, origin._op, origin._commit_ts, origin._deleted, origin._uploaded_at FROM ")
                .append(staging).append(" AS staged JOIN ").append(table.quotedName()).append(" AS origin ON (")
                .append(keyMatch("origin", "staged", true)).append(") WHERE staged._origin IS NOT NULL");
        StringBuilder sql = new StringBuilder("MERGE INTO ").append(table.quotedName()).append(" AS target USING (").append(select)
                .append(") AS moved ON (target._cell_id = moved._cell_id");
        for (int position : keyPositions) {
            sql.append(" AND target.").append(table.column(position).quoted()).append(" = moved.p").append(position);
        }
        sql.append(')');
        StringBuilder updates = new StringBuilder();
        StringBuilder values = new StringBuilder("moved._cell_id");
        for (int position = 0; position < table.width(); position++) {
            values.append(", moved.p").append(position);
            if (!isKey[position]) {
                updates.append(updates.isEmpty() ? "" : ", ").append(table.column(position).quoted()).append(" = moved.p").append(position);
            }
        }
        if (!updates.isEmpty()) {
            sql.append(" WHEN MATCHED THEN UPDATE SET ").append(updates);
        }
        sql.append(" WHEN NOT MATCHED THEN INSERT (").append(allColumns()).append(") VALUES (").append(values)
                .append(", moved._lsn, moved._lsn_value, moved._op, moved._commit_ts, moved._deleted, moved._uploaded_at)");
        return sql.toString();
    }

    /**
     * A TRUNCATE of one cell's table at one commit. Parameters: (soft) lsn text, lsn value as
     * text, commit micros, cell id; (hard) cell id.
     */
    /**
     * Marks the cell's rows truncated. In an append-only table (no key) the deletions recorded
     * before are marked too, so that "live rows minus deletions" stays the current content.
     */
    String truncate(boolean hardDeletes, boolean appendOnly) {
        if (hardDeletes) {
            return "DELETE FROM " + table.quotedName() + " WHERE _cell_id = ?";
        }
        if (appendOnly) {
            return "UPDATE " + table.quotedName() + " SET \"_deleted\" = true, \"_op\" = 't', \"_lsn\" = ?, \"_lsn_value\" = CAST(? AS UBIGINT),"
                    + " \"_commit_ts\" = make_timestamptz(CAST(? AS BIGINT)), \"_uploaded_at\" = current_timestamp"
                    + " WHERE _cell_id = ? AND \"_op\" <> 't'";
        }
        return "UPDATE " + table.quotedName() + " SET \"_deleted\" = true, \"_op\" = 't', \"_lsn\" = ?, \"_lsn_value\" = CAST(? AS UBIGINT),"
                + " \"_commit_ts\" = make_timestamptz(CAST(? AS BIGINT)), \"_uploaded_at\" = current_timestamp"
                + " WHERE _cell_id = ? AND NOT \"_deleted\"";
    }

    private String keyMatch(String warehouse, String staged, boolean origin) {
        StringBuilder match = new StringBuilder(warehouse).append("._cell_id = ").append(staged).append("._cell_id");
        for (int k = 0; k < keyPositions.length; k++) {
            int position = keyPositions[k];
            String text = origin ? staged + "._origin[" + (k + 1) + "]" : staged + "." + StagingTable.value(position);
            match.append(" AND ").append(warehouse).append('.').append(table.column(position).quoted()).append(" = ")
                    .append(DuckDbTypes.castFromText(text, table.column(position).sqlType()));
        }
        return match.toString();
    }

    private String cast(int position) {
        return DuckDbTypes.castFromText("staged." + StagingTable.value(position), table.column(position).sqlType());
    }

    private String castAll() {
        StringBuilder casts = new StringBuilder();
        for (int position = 0; position < table.width(); position++) {
            casts.append(cast(position)).append(", ");
        }
        return casts.toString();
    }

    private String allColumns() {
        StringBuilder columns = new StringBuilder(TableId.quote(WarehouseTable.CELL_ID));
        for (WarehouseColumn column : table.columns()) {
            columns.append(", ").append(column.quoted());
        }
        return columns.append(", ").append(METADATA_COLUMNS).toString();
    }
}
