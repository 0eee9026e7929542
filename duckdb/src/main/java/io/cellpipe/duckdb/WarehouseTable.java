package io.cellpipe.duckdb;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.TableId;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The current-state table of one source table: {@code _cell_id}, the source columns (the union of
 * every shape seen, in order of first appearance), then cellpipe's metadata columns. Immutable; a
 * schema change makes a new one. {@code inCreatedOrder}: DuckDB stores the columns in that order
 * (a column added later is stored after the metadata), as an appender must fill them.
 */
record WarehouseTable(TableId id, List<WarehouseColumn> columns, boolean inCreatedOrder) {
    static final String CELL_ID = "_cell_id";
    static final List<WarehouseColumn> METADATA = List.of(
            new WarehouseColumn("_lsn", DuckDbTypes.VARCHAR),
            new WarehouseColumn("_lsn_value", "UBIGINT"),
            new WarehouseColumn("_op", DuckDbTypes.VARCHAR),
            new WarehouseColumn("_commit_ts", "TIMESTAMP WITH TIME ZONE"),
            new WarehouseColumn("_deleted", "BOOLEAN"),
            new WarehouseColumn("_uploaded_at", "TIMESTAMP WITH TIME ZONE"));
    static final Set<String> RESERVED_NAMES = Set.of(CELL_ID, "_lsn", "_lsn_value", "_op", "_commit_ts", "_deleted", "_uploaded_at");

    WarehouseTable {
        requireNonNull(id, "id is null");
        columns = List.copyOf(columns);
    }

    int width() {
        return columns.size();
    }

    WarehouseColumn column(int position) {
        return columns.get(position);
    }

    /** Position of the column named exactly {@code name}, or -1. */
    int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Position of a column DuckDB would take for {@code name} (it compares names case-insensitively), or -1. */
    int indexOfIgnoringCase(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().toLowerCase(Locale.ROOT).equals(lower)) {
                return i;
            }
        }
        return -1;
    }

    String quotedName() {
        return id.quoted();
    }
}
