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
     * Upserts the staged rows by cell and key, in order: mark the staged rows whose cell and key
     * the warehouse has ({@code _in_warehouse}); (hard deletes) remove the rows a marked delete
     * matches; update the rows the other marked rows match; insert the unmarked rows. A kept
     * column keeps the warehouse's value; a staged delete sets {@code _deleted} (soft) or removes
     * the row (hard), and a delete of a row the warehouse never had leaves a tombstone (soft) or
     * nothing (hard). Each key is staged once and the warehouse holds each cell and key once, so
     * every statement sees each warehouse row at most once.
     *
     * <p>The mark joins on the key columns alone. Without it, each update built a hash table of
     * every staged row with all its columns to find the few that matched, and the insert ran an
     * anti-join of its own (docs/BENCHMARKS.md).
     *
     * <p>Not one {@code MERGE}: DuckDB keeps the rows a {@code MERGE} inserts in the transaction's
     * memory until the commit, while an {@code INSERT} writes full row groups of a large
     * transaction to the database file as it goes, so a source transaction of millions of rows,
     * applied in one DuckDB transaction, does not pile up in memory (docs/BENCHMARKS.md).
     */
    Upsert upsert(boolean hardDeletes) {
        String mark = "UPDATE " + staging + " AS staged SET _in_warehouse = true FROM " + table.quotedName() + " AS target WHERE "
                + keyMatch("target", "staged", false);
        String delete = hardDeletes ? "DELETE FROM " + table.quotedName() + " AS target USING " + staging + " AS staged WHERE "
                + keyMatch("target", "staged", false) + " AND staged._in_warehouse AND staged._deleted" : null;
        String insert = "INSERT INTO " + table.quotedName() + " (" + allColumns() + ") SELECT staged._cell_id, " + castAll() + STAGED_METADATA
                + " FROM " + staging + " AS staged WHERE staged._in_warehouse IS NULL" + (hardDeletes ? " AND NOT staged._deleted" : "");
        return new Upsert(mark, delete, update(false), update(true), insert);
    }

    /**
     * The update of warehouse rows by staged rows that set every column ({@code _keep} NULL), or
     * by those that keep some. Two statements because the first does not read the warehouse row's
     * values, so DuckDB reads only the key columns of the rows it scans; with a CASE per column
     * for kept values, it read every column of every row of the table at every batch.
     */
    private String update(boolean keeping) {
        StringBuilder update = new StringBuilder("UPDATE ").append(table.quotedName()).append(" AS target SET ");
        for (int position = 0; position < table.width(); position++) {
            if (!isKey[position]) {
                String column = table.column(position).quoted();
                update.append(column).append(" = ");
                if (keeping) {
                    update.append("CASE WHEN staged._keep[").append(position + 1).append("] THEN target.").append(column).append(" ELSE ")
                            .append(cast(position)).append(" END, ");
                } else {
                    update.append(cast(position)).append(", ");
                }
            }
        }
        update.append("\"_lsn\" = staged._lsn, \"_lsn_value\" = staged._lsn_value, \"_op\" = staged._op, \"_commit_ts\" = staged._commit_ts,"
                + " \"_deleted\" = staged._deleted, \"_uploaded_at\" = current_timestamp");
        update.append(" FROM ").append(staging).append(" AS staged WHERE ").append(keyMatch("target", "staged", false))
                .append(" AND staged._in_warehouse").append(keeping ? " AND staged._keep IS NOT NULL" : " AND staged._keep IS NULL");
        return update.toString();
    }

    /**
     * An upsert's statements, in order: mark, delete (hard deletes only; else null), update,
     * update of rows that keep warehouse values, insert.
     */
    record Upsert(String mark, String delete, String update, String updateKeeping, String insert) {
        /** @param keeping whether a staged row keeps a warehouse value */
        List<String> statements(boolean keeping) {
            List<String> statements = new ArrayList<>(5);
            statements.add(mark);
            if (delete != null) {
                statements.add(delete);
            }
            statements.add(update);
            if (keeping) {
                statements.add(updateKeeping);
            }
            statements.add(insert);
            return statements;
        }
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

    /**
     * The warehouse row has the staged row's cell and key (or, with {@code origin}, its old key).
     * Each key column is also required to be among the staged values of that column: DuckDB then
     * finds the few candidate rows by reading that one column of the warehouse table, instead of
     * joining every row on the cell and the whole key. The join's cost grew with the table's size;
     * on a table of 5 million rows an upsert of 20,000 changes took a tenth of the time with the
     * filter (docs/BENCHMARKS.md). The filter removes only rows the join would not match.
     */
    private String keyMatch(String warehouse, String staged, boolean origin) {
        StringBuilder match = new StringBuilder(warehouse).append("._cell_id = ").append(staged).append("._cell_id");
        StringBuilder candidates = new StringBuilder();
        for (int k = 0; k < keyPositions.length; k++) {
            int position = keyPositions[k];
            String column = warehouse + '.' + table.column(position).quoted();
            match.append(" AND ").append(column).append(" = ").append(DuckDbTypes.castFromText(keyText(staged, k, origin), table.column(position).sqlType()));
            candidates.append(" AND ").append(column).append(" IN (SELECT ")
                    .append(DuckDbTypes.castFromText(keyText("keyed", k, origin), table.column(position).sqlType())).append(" FROM ")
                    .append(staging).append(" AS keyed").append(origin ? " WHERE keyed._origin IS NOT NULL" : "").append(')');
        }
        return match.append(candidates).toString();
    }

    /** The staged text of the {@code k}-th key column, or of the old key's. */
    private String keyText(String staged, int k, boolean origin) {
        return origin ? staged + "._origin[" + (k + 1) + "]" : staged + "." + StagingTable.value(keyPositions[k]);
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
