package io.cellpipe.postgres;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.TableId;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One table as the publication names it: with every column, or (PostgreSQL 15+) only the listed
 * {@code columns}; and with an optional row filter, a boolean SQL expression over its columns.
 */
record PublishedTable(TableId id, List<String> columns, String rowFilter) {
    PublishedTable {
        requireNonNull(id, "id is null");
        columns = List.copyOf(columns);
    }

    static PublishedTable whole(TableId id) {
        return new PublishedTable(id, List.of(), null);
    }

    /** The table as written in {@code CREATE PUBLICATION ... FOR TABLE}. */
    String sql() {
        String list = columns.isEmpty() ? "" : " (" + columns.stream().map(TableId::quote).collect(Collectors.joining(", ")) + ")";
        return id.quoted() + list + (rowFilter == null ? "" : " WHERE (" + rowFilter + ")");
    }
}
