package io.cellpipe.core.model;

import static java.util.Objects.requireNonNull;

/**
 * One column of a captured table; {@code key} marks the columns of the table's identity (primary key).
 * {@code missingValue} is the text value that rows existing before the column was added read as
 * (PostgreSQL's "fast default" of {@code ADD COLUMN ... DEFAULT constant}, which writes no WAL for
 * those rows), or null.
 */
public record Column(String name, ColumnType type, boolean key, String missingValue) {
    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }

    public Column(String name, ColumnType type, boolean key) {
        this(name, type, key, null);
    }
}
