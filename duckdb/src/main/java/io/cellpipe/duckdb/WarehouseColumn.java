package io.cellpipe.duckdb;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.TableId;

/** A column of a warehouse table as DuckDB stores it. */
record WarehouseColumn(String name, String sqlType) {
    WarehouseColumn {
        requireNonNull(name, "name is null");
        requireNonNull(sqlType, "sqlType is null");
    }

    String quoted() {
        return TableId.quote(name);
    }

    String definition() {
        return quoted() + " " + sqlType;
    }
}
