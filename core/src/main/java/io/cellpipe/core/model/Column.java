package io.cellpipe.core.model;

import static java.util.Objects.requireNonNull;

/** One column of a captured table; {@code key} marks the columns of the table's identity (primary key). */
public record Column(String name, ColumnType type, boolean key) {
    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
