package io.cellpipe.duckdb;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.Operation;
import io.cellpipe.core.model.RowImage;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * Coalesces a keyed table's changes to the latest image per (cell, key), then upserts them with
 * set-based statements ({@link TableStatements#upsert}). Only the last image of a row reaches DuckDB, however often the batch changed it.
 */
final class UpsertBuffer implements TableBuffer {
    private final WarehouseTable table;
    private final StagingTable staging;
    private final TableStatements statements;
    /** Built once per buffer, run at every flush. */
    private final TableStatements.Upsert upsert;
    private final int[] keyPositions;
    private Map<RowKey, StagedRow> rows = new LinkedHashMap<>();
    private String onlyCell;
    private boolean severalCells;

    UpsertBuffer(WarehouseTable table, StagingTable staging, int[] keyPositions, boolean hardDeletes) {
        this.table = table;
        this.staging = staging;
        this.keyPositions = keyPositions;
        this.statements = new TableStatements(table, staging.name(), keyPositions);
        this.upsert = statements.upsert(hardDeletes);
    }

    @Override
    public boolean accepts(TableBinding binding) {
        return binding.hasKey() && Arrays.equals(binding.keyPositions(), keyPositions);
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    public void add(Change change, TableBinding binding, CommitStamp stamp) {
        noteCell(stamp.cellId());
        switch (change.op()) {
            case INSERT, READ -> rows.put(key(binding, change.after(), stamp), image(change, binding, stamp, null, null));
            case UPDATE -> update(change, binding, stamp);
            case DELETE -> {
                RowKey key = key(binding, change.before(), stamp);
                rows.put(key, tombstone(binding, change.before(), rows.get(key), stamp));
            }
            case TRUNCATE -> throw new IllegalStateException("a truncate is not a row change; flush and truncate instead");
        }
    }

    /** An update that changes the key deletes the row at the old key and writes it at the new one. */
    private void update(Change change, TableBinding binding, CommitStamp stamp) {
        RowKey key = key(binding, change.after(), stamp);
        RowKey oldKey = change.before() == null ? key : key(binding, change.before(), stamp);
        if (oldKey.equals(key)) {
            rows.put(key, image(change, binding, stamp, rows.get(key), null));
            return;
        }
        StagedRow old = rows.get(oldKey);
        String[] origin = old != null && old.origin() != null ? old.origin() : oldKey.values();
        rows.put(key, image(change, binding, stamp, old, origin));
        rows.put(oldKey, tombstone(binding, change.before(), old, stamp));
    }

    /**
     * The row after an insert, read or update. A column the change does not carry (unchanged
     * TOAST, or absent from its shape) comes from the old image the change carries (REPLICA
     * IDENTITY FULL), else from this batch's earlier image of the row, else is kept as the
     * warehouse has it. An insert carries the whole row: columns absent from its shape are NULL.
     */
    private StagedRow image(Change change, TableBinding binding, CommitStamp stamp, StagedRow earlier, String[] origin) {
        StagedRow row = new StagedRow(stamp.cellId(), table.width(), stamp, change.op(), false);
        boolean wholeRow = change.op() != Operation.UPDATE;
        if (!wholeRow) {
            for (int position = 0; position < table.width(); position++) {
                if (earlier == null) {
                    row.keep(position);
                } else {
                    row.inherit(earlier, position);
                }
            }
        }
        RowImage after = change.after();
        RowImage before = change.before();
        for (int index = 0; index < binding.size(); index++) {
            int position = binding.position(index);
            if (!after.isUnchangedToast(index)) {
                row.values[position] = StagedValue.of(binding.kind(index), after.value(index));
                row.unkeep(position);
            } else if (before != null && !before.isUnchangedToast(index) && before.value(index) != null) {
                row.values[position] = StagedValue.of(binding.kind(index), before.value(index));
                row.unkeep(position);
            }
        }
        if (row.keepsAny()) {
            row.origin(origin != null ? origin : earlier == null ? null : earlier.origin());
        }
        return row;
    }

    /**
     * A delete. Soft deletes keep the row's other values: this batch's earlier image of it if any,
     * else what the warehouse has (the old image of a delete holds only the key, unless the table
     * has REPLICA IDENTITY FULL).
     */
    private StagedRow tombstone(TableBinding binding, RowImage before, StagedRow earlier, CommitStamp stamp) {
        StagedRow row = new StagedRow(stamp.cellId(), table.width(), stamp, Operation.DELETE, true);
        if (earlier != null) {
            for (int position = 0; position < table.width(); position++) {
                row.inherit(earlier, position);
            }
            row.origin(earlier.origin());
            return row;
        }
        for (int position = 0; position < table.width(); position++) {
            row.keep(position);
        }
        for (int index = 0; index < binding.size(); index++) {
            if (!before.isUnchangedToast(index) && before.value(index) != null) {
                int position = binding.position(index);
                row.values[position] = StagedValue.of(binding.kind(index), before.value(index));
                row.unkeep(position);
            }
        }
        return row;
    }

    private static RowKey key(TableBinding binding, RowImage image, CommitStamp stamp) {
        int[] indexes = binding.keyIndexes();
        String[] values = new String[indexes.length];
        for (int k = 0; k < indexes.length; k++) {
            values[k] = StagedValue.of(binding.kind(indexes[k]), image.value(indexes[k]));
        }
        return new RowKey(stamp.cellId(), values);
    }

    private void noteCell(String cellId) {
        if (onlyCell == null) {
            onlyCell = cellId;
        } else if (!onlyCell.equals(cellId)) {
            severalCells = true;
        }
    }

    @Override
    public Write drain() {
        if (rows.isEmpty()) {
            return null;
        }
        Map<RowKey, StagedRow> drained = rows;
        String cellId = severalCells ? null : onlyCell;
        rows = new LinkedHashMap<>();
        onlyCell = null;
        severalCells = false;
        boolean keeping = false;
        for (StagedRow row : drained.values()) {
            keeping |= row.keepsAny();
        }
        boolean keepingAny = keeping;
        return new Write(drained.size(), connection -> write(connection, drained.values(), keepingAny, cellId));
    }

    /** @param cellId the only cell whose rows these are, or null if several */
    private void write(DuckDBConnection connection, Collection<StagedRow> drained, boolean keeping, String cellId) throws SQLException {
        try {
            int moved = staging.append(connection, drained);
            if (moved > 0) {
                SqlTransaction.execute(connection, statements.copyMoved());
            }
            for (String statement : upsert.statements(keeping)) {
                SqlTransaction.execute(connection, statement);
            }
            staging.clear(connection);
        } catch (SQLException e) {
            throw WriteFailure.of(e, table.id(), cellId, "write " + drained.size() + " rows to");
        }
    }
}
