package io.cellpipe.core.model;

import static java.util.Objects.requireNonNull;

/**
 * A column's kind plus what the source called it ({@code sourceType}, e.g. {@code integer[]},
 * {@code mood}, {@code numeric(12,2)}). Precision and scale are meaningful for {@link ColumnKind#DECIMAL} only.
 */
public record ColumnType(ColumnKind kind, int precision, int scale, String sourceType) {
    public ColumnType {
        requireNonNull(kind, "kind is null");
        requireNonNull(sourceType, "sourceType is null");
        if (kind == ColumnKind.DECIMAL && (precision < 1 || precision > 38 || scale < 0 || scale > precision)) {
            throw new IllegalArgumentException("decimal precision must be 1..38 and scale 0..precision: " + sourceType);
        }
    }

    public static ColumnType of(ColumnKind kind, String sourceType) {
        return new ColumnType(kind, 0, 0, sourceType);
    }

    public static ColumnType decimal(int precision, int scale, String sourceType) {
        return new ColumnType(ColumnKind.DECIMAL, precision, scale, sourceType);
    }

    /** Whether a value of this type can be stored in a column of {@code wider} without loss. */
    public boolean fitsIn(ColumnType wider) {
        if (equals(wider) || kind == wider.kind && kind != ColumnKind.DECIMAL) {
            return true;
        }
        return switch (kind) {
            case INT16 -> wider.kind == ColumnKind.INT32 || wider.kind == ColumnKind.INT64;
            case INT32 -> wider.kind == ColumnKind.INT64;
            case FLOAT32 -> wider.kind == ColumnKind.FLOAT64;
            case DECIMAL -> wider.kind == ColumnKind.NUMERIC_TEXT
                    || wider.kind == ColumnKind.DECIMAL && wider.scale >= scale && wider.precision - wider.scale >= precision - scale;
            default -> false;
        };
    }
}
