package io.cellpipe.duckdb;

import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.TableSchema;

/**
 * Where the columns of one source shape ({@link TableSchema}) live in the warehouse table: column
 * {@code i} of the shape is warehouse column {@code position(i)}. Positions stay valid when the
 * warehouse table gains columns later, because columns are only ever added at the end.
 */
final class TableBinding {
    private final WarehouseTable table;
    private final TableSchema schema;
    private final int[] positions;
    private final ColumnKind[] kinds;
    private final int[] keyIndexes;
    private final int[] keyPositions;
    private final String qualifiedName;
    private final JsonImage json;

    private TableBinding(WarehouseTable table, TableSchema schema) {
        this.table = table;
        this.schema = schema;
        this.qualifiedName = schema.id().qualified();
        this.json = JsonImage.forShape(schema);
        int size = schema.columns().size();
        this.positions = new int[size];
        this.kinds = new ColumnKind[size];
        int keys = 0;
        for (int i = 0; i < size; i++) {
            positions[i] = table.indexOf(schema.columns().get(i).name());
            kinds[i] = schema.columns().get(i).type().kind();
            if (positions[i] < 0) {
                throw new IllegalStateException("warehouse table " + table.id() + " lacks column " + schema.columns().get(i).name()
                        + " although it was just added; this is a bug in cellpipe");
            }
            if (schema.columns().get(i).key()) {
                keys++;
            }
        }
        this.keyIndexes = new int[keys];
        this.keyPositions = new int[keys];
        for (int i = 0, k = 0; i < size; i++) {
            if (schema.columns().get(i).key()) {
                keyIndexes[k] = i;
                keyPositions[k++] = positions[i];
            }
        }
    }

    static TableBinding of(WarehouseTable table, TableSchema schema) {
        return new TableBinding(table, schema);
    }

    WarehouseTable table() {
        return table;
    }

    TableSchema schema() {
        return schema;
    }

    /** {@code schema.table}, as the change log and stopped tables name it. */
    String qualifiedName() {
        return qualifiedName;
    }

    /** Writes the change log's JSON images of this shape. */
    JsonImage json() {
        return json;
    }

    int size() {
        return positions.length;
    }

    int position(int index) {
        return positions[index];
    }

    ColumnKind kind(int index) {
        return kinds[index];
    }

    boolean hasKey() {
        return keyIndexes.length > 0;
    }

    /** Shape indexes of the key columns, in shape order. */
    int[] keyIndexes() {
        return keyIndexes;
    }

    /** Warehouse positions of the key columns, in shape order. */
    int[] keyPositions() {
        return keyPositions;
    }
}
