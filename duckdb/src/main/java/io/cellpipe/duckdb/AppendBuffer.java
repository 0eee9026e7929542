package io.cellpipe.duckdb;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.Operation;
import io.cellpipe.core.model.RowImage;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBConnection;

/**
 * A table without key columns is loaded append-only: nothing identifies a row, so every change
 * becomes a new warehouse row (the new image, or for a delete the old image marked deleted).
 * Snapshot loads use it too.
 */
final class AppendBuffer implements TableBuffer {
    private final WarehouseTable table;
    private final StagingTable staging;
    private final String insert;
    private List<StagedRow> rows = new ArrayList<>();
    private String onlyCell;
    private boolean severalCells;

    AppendBuffer(WarehouseTable table, StagingTable staging) {
        this.table = table;
        this.staging = staging;
        this.insert = new TableStatements(table, staging.name(), new int[0]).insertAll();
    }

    @Override
    public boolean accepts(TableBinding binding) {
        return !binding.hasKey();
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    public void add(Change change, TableBinding binding, CommitStamp stamp) {
        if (onlyCell == null) {
            onlyCell = stamp.cellId();
        } else if (!onlyCell.equals(stamp.cellId())) {
            severalCells = true;
        }
        if (change.op() == Operation.TRUNCATE) {
            throw new IllegalStateException("a truncate is not a row change; flush and truncate instead");
        }
        boolean deleted = change.after() == null;
        RowImage before = change.before();
        if (!deleted && before != null) {
            // An update retires its old row: appended as a deletion, so the live rows minus the
            // deletions are the table's current rows (what verification compares).
            append(before, before, true, change, binding, stamp);
        }
        append(deleted ? before : change.after(), before, deleted, change, binding, stamp);
    }

    private void append(RowImage image, RowImage before, boolean deleted, Change change, TableBinding binding, CommitStamp stamp) {
        StagedRow row = new StagedRow(stamp.cellId(), table.width(), stamp, change.op(), deleted);
        for (int index = 0; index < binding.size(); index++) {
            String value = image.value(index);
            // no row to keep an unchanged TOAST value from; only a full old image can supply it
            if (image.isUnchangedToast(index)) {
                value = before != null && !before.isUnchangedToast(index) ? before.value(index) : null;
            }
            row.values[binding.position(index)] = StagedValue.of(binding.kind(index), value);
        }
        rows.add(row);
    }

    @Override
    public Write drain() {
        if (rows.isEmpty()) {
            return null;
        }
        List<StagedRow> drained = rows;
        String cellId = severalCells ? null : onlyCell;
        rows = new ArrayList<>();
        onlyCell = null;
        severalCells = false;
        return new Write(drained.size(), connection -> write(connection, drained, cellId));
    }

    /** @param cellId the only cell whose rows these are, or null if several */
    private void write(DuckDBConnection connection, List<StagedRow> drained, String cellId) throws SQLException {
        try {
            staging.append(connection, drained);
            SqlTransaction.execute(connection, insert);
            staging.clear(connection);
        } catch (SQLException e) {
            throw WriteFailure.of(e, table.id(), cellId, "write " + drained.size() + " rows to");
        }
    }
}
