package io.cellpipe.core.model;

import static java.util.Objects.requireNonNull;

/**
 * One row change (or a truncate) of one table. {@code before} is the old key or, with
 * REPLICA IDENTITY FULL, the old row; PostgreSQL sends it for updates only when the key changed.
 * {@code after} is the new row (insert, update, read).
 */
public record Change(TableSchema table, Operation op, RowImage before, RowImage after) {
    public Change {
        requireNonNull(table, "table is null");
        requireNonNull(op, "op is null");
        switch (op) {
            case INSERT, READ -> require(after != null && before == null, op);
            case UPDATE -> require(after != null, op);
            case DELETE -> require(before != null && after == null, op);
            case TRUNCATE -> require(before == null && after == null, op);
        }
    }

    private static void require(boolean condition, Operation op) {
        if (!condition) {
            throw new IllegalArgumentException("row images do not fit a " + op + " change");
        }
    }

    public static Change insert(TableSchema table, RowImage after) {
        return new Change(table, Operation.INSERT, null, after);
    }

    public static Change update(TableSchema table, RowImage before, RowImage after) {
        return new Change(table, Operation.UPDATE, before, after);
    }

    public static Change delete(TableSchema table, RowImage before) {
        return new Change(table, Operation.DELETE, before, null);
    }

    public static Change truncate(TableSchema table) {
        return new Change(table, Operation.TRUNCATE, null, null);
    }

    /** The image that identifies the row: the new row, or the old key for a delete. */
    public RowImage identity() {
        return after != null ? after : before;
    }
}
