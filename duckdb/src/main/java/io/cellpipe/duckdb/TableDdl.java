package io.cellpipe.duckdb;

import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The DDL that makes a warehouse table hold a source shape: create it, add columns, widen types. */
final class TableDdl {
    private TableDdl() {
    }

    static List<String> create(TableSchema schema) {
        StringBuilder create = new StringBuilder("CREATE TABLE ").append(schema.id().quoted()).append(" (")
                .append(TableId.quote(WarehouseTable.CELL_ID)).append(' ').append(DuckDbTypes.VARCHAR);
        for (Column column : schema.columns()) {
            create.append(", ").append(TableId.quote(column.name())).append(' ').append(DuckDbTypes.sqlType(column.type()));
        }
        for (WarehouseColumn column : WarehouseTable.METADATA) {
            create.append(", ").append(column.definition());
        }
        return List.of("CREATE SCHEMA IF NOT EXISTS " + TableId.quote(schema.id().schema()), create.append(')').toString());
    }

    /**
     * What {@code current} needs to hold {@code schema}; empty if nothing.
     *
     * @throws IncompatibleSchemaException if a column can neither keep nor widen its type
     */
    static List<String> evolve(String cellId, TableSchema schema, WarehouseTable current) {
        List<String> ddl = new ArrayList<>();
        for (Column column : schema.columns()) {
            int position = current.indexOf(column.name());
            String arriving = DuckDbTypes.sqlType(column.type());
            if (position < 0) {
                if (current.indexOfIgnoringCase(column.name()) >= 0) {
                    throw nameClash(cellId, schema.id(), column.name());
                }
                ddl.add("ALTER TABLE " + current.quotedName() + " ADD COLUMN " + TableId.quote(column.name()) + " " + arriving);
                continue;
            }
            WarehouseColumn stored = current.column(position);
            switch (ColumnEvolution.of(stored.sqlType(), column.type())) {
                case SAME, KEEP -> {
                }
                case WIDEN -> ddl.add("ALTER TABLE " + current.quotedName() + " ALTER COLUMN " + stored.quoted() + " SET DATA TYPE " + arriving);
                case INCOMPATIBLE -> throw incompatible(cellId, schema.id(), column, stored);
            }
        }
        return ddl;
    }

    /** DuckDB compares names case-insensitively, and the metadata columns' names are taken. */
    static void checkNames(String cellId, TableSchema schema) {
        Set<String> seen = new HashSet<>();
        for (Column column : schema.columns()) {
            String lower = column.name().toLowerCase(Locale.ROOT);
            if (!seen.add(lower) || WarehouseTable.RESERVED_NAMES.contains(lower)) {
                throw nameClash(cellId, schema.id(), column.name());
            }
        }
    }

    private static IncompatibleSchemaException nameClash(String cellId, TableId table, String column) {
        return new IncompatibleSchemaException(cellId, table, cellId + ": column \"" + column + "\" of " + table
                + " cannot be stored in the DuckDB warehouse: DuckDB compares column names case-insensitively and reserves "
                + String.join(", ", WarehouseTable.RESERVED_NAMES.stream().sorted().toList()) + ", so it clashes with another"
                + " column. Rename the column at the source or exclude the table (tables.exclude).");
    }

    private static IncompatibleSchemaException incompatible(String cellId, TableId table, Column column, WarehouseColumn stored) {
        String arriving = DuckDbTypes.sqlType(column.type());
        return new IncompatibleSchemaException(cellId, table, cellId + ": column \"" + column.name() + "\" of " + table
                + " changed to " + column.type().sourceType() + " (warehouse type " + arriving + "), which is neither wider nor"
                + " narrower than the warehouse column's " + stored.sqlType() + ". The table stops loading for this cell; migrate"
                + " the warehouse column (ALTER TABLE " + table.quoted() + " ALTER COLUMN " + stored.quoted() + " SET DATA TYPE "
                + arriving + "), then resync the table by copying the cell again (cellpipe run --resnapshot " + cellId + ").");
    }
}
