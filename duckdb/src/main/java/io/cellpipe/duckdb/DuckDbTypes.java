package io.cellpipe.duckdb;

import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How each {@link ColumnKind} is stored in DuckDB, how staged PostgreSQL text is cast into that
 * type, and how a stored value is read back as canonical text. Type names are spelled as
 * {@code duckdb_columns().data_type} reports them, so a stored column compares equal to the type
 * it was created with.
 */
final class DuckDbTypes {
    static final String VARCHAR = "VARCHAR";
    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),(\\d+)\\)");

    private DuckDbTypes() {
    }

    static String sqlType(ColumnType type) {
        return switch (type.kind()) {
            case BOOLEAN -> "BOOLEAN";
            case INT16 -> "SMALLINT";
            case INT32 -> "INTEGER";
            case INT64 -> "BIGINT";
            case FLOAT32 -> "FLOAT";
            case FLOAT64 -> "DOUBLE";
            case DECIMAL -> "DECIMAL(" + type.precision() + "," + type.scale() + ")";
            case NUMERIC_TEXT, TEXT -> VARCHAR;
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMPTZ -> "TIMESTAMP WITH TIME ZONE";
            case TIME -> "TIME";
            case TIMETZ -> "TIME WITH TIME ZONE";
            case INTERVAL -> "INTERVAL";
            case UUID -> "UUID";
            case JSON -> "JSON";
            case BYTES -> "BLOB";
        };
    }

    /**
     * The column types a stored DuckDB type can stand for: one, except VARCHAR, which holds both
     * text and unconstrained numerics. Empty for a type cellpipe never creates (e.g. one an
     * operator chose by hand).
     */
    static List<ColumnType> storedKinds(String sqlType) {
        String type = sqlType.toUpperCase(Locale.ROOT);
        Matcher decimal = DECIMAL.matcher(type);
        if (decimal.matches()) {
            int precision = Integer.parseInt(decimal.group(1));
            int scale = Integer.parseInt(decimal.group(2));
            return precision <= 38 ? List.of(ColumnType.decimal(precision, scale, type)) : List.of();
        }
        if (type.equals(VARCHAR)) {
            return List.of(ColumnType.of(ColumnKind.TEXT, type), ColumnType.of(ColumnKind.NUMERIC_TEXT, type));
        }
        for (ColumnKind kind : ColumnKind.values()) {
            if (kind != ColumnKind.DECIMAL && sqlType(ColumnType.of(kind, type)).equals(type)) {
                return List.of(ColumnType.of(kind, type));
            }
        }
        return List.of();
    }

    /** SQL that turns a staged VARCHAR (see {@link StagedValue}) into a value of {@code sqlType}. */
    static String castFromText(String staged, String sqlType) {
        return switch (sqlType) {
            case VARCHAR -> staged;
            // bytea arrives as PostgreSQL's hex text, \x0a0b...
            case "BLOB" -> "from_hex(substr(" + staged + ", 3))";
            default -> "CAST(" + staged + " AS " + sqlType + ")";
        };
    }

    /** SQL that reads a stored value as the canonical text of {@link io.cellpipe.core.verify.CanonicalValue}. */
    static String canonicalText(String column, String sqlType) {
        return switch (sqlType) {
            case "BLOB" -> "lower(hex(" + column + "))";
            // months/days/microseconds; DuckDB keeps the three parts apart like PostgreSQL does
            case "INTERVAL" -> "CAST(datepart('year', " + column + ") * 12 + datepart('month', " + column + ") AS VARCHAR) || '/' || "
                    + "CAST(datepart('day', " + column + ") AS VARCHAR) || '/' || "
                    + "CAST(datepart('hour', " + column + ") * 3600000000 + datepart('minute', " + column + ") * 60000000"
                    + " + datepart('microseconds', " + column + ") AS VARCHAR)";
            default -> "CAST(" + column + " AS VARCHAR)";
        };
    }
}
