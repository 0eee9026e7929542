package io.cellpipe.core.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The shape of a table at one point in the stream. A table with no key columns is loaded
 * append-only (every change becomes a row), see docs/configuration.md.
 */
public record TableSchema(TableId id, List<Column> columns) {
    public TableSchema {
        requireNonNull(id, "id is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table " + id + " has no columns");
        }
    }

    public boolean hasKey() {
        for (Column column : columns) {
            if (column.key()) {
                return true;
            }
        }
        return false;
    }

    public List<Column> keyColumns() {
        return columns.stream().filter(Column::key).toList();
    }

    public int indexOf(String columnName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(columnName)) {
                return i;
            }
        }
        return -1;
    }

    public Column column(String columnName) {
        int index = indexOf(columnName);
        return index < 0 ? null : columns.get(index);
    }
}
