package io.cellpipe.postgres;

import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Maps PostgreSQL types to {@link ColumnType}s. Built-in types are known by OID; others (enums,
 * domains, arrays, ranges, extension types) are looked up once in the cell's catalog: a domain is
 * its base type, everything else lands as its text form.
 */
final class PostgresTypes {
    private static final Map<Integer, ColumnKind> BUILT_IN = Map.ofEntries(
            Map.entry(16, ColumnKind.BOOLEAN),
            Map.entry(21, ColumnKind.INT16),
            Map.entry(23, ColumnKind.INT32),
            Map.entry(20, ColumnKind.INT64),
            Map.entry(26, ColumnKind.INT64),
            Map.entry(700, ColumnKind.FLOAT32),
            Map.entry(701, ColumnKind.FLOAT64),
            Map.entry(25, ColumnKind.TEXT),
            Map.entry(1043, ColumnKind.TEXT),
            Map.entry(1042, ColumnKind.TEXT),
            Map.entry(19, ColumnKind.TEXT),
            Map.entry(18, ColumnKind.TEXT),
            Map.entry(1082, ColumnKind.DATE),
            Map.entry(1114, ColumnKind.TIMESTAMP),
            Map.entry(1184, ColumnKind.TIMESTAMPTZ),
            Map.entry(1083, ColumnKind.TIME),
            Map.entry(1266, ColumnKind.TIMETZ),
            Map.entry(1186, ColumnKind.INTERVAL),
            Map.entry(2950, ColumnKind.UUID),
            Map.entry(114, ColumnKind.JSON),
            Map.entry(3802, ColumnKind.JSON),
            Map.entry(17, ColumnKind.BYTES));
    private static final int NUMERIC = 1700;

    private final Connection catalog;
    private final Map<Integer, TypeInfo> looked = new HashMap<>();

    private record TypeInfo(char typtype, int baseType, int baseModifier, String name) {
    }

    PostgresTypes(Connection catalog) {
        this.catalog = catalog;
    }

    ColumnType columnType(int oid, int modifier) throws SQLException {
        if (oid == NUMERIC) {
            return numeric(modifier);
        }
        ColumnKind kind = BUILT_IN.get(oid);
        if (kind != null) {
            return ColumnType.of(kind, builtInName(oid, modifier));
        }
        TypeInfo info = lookUp(oid);
        if (info.typtype == 'd' && info.baseType != 0) {
            ColumnType base = columnType(info.baseType, info.baseModifier);
            return new ColumnType(base.kind(), base.precision(), base.scale(), info.name);
        }
        return ColumnType.of(ColumnKind.TEXT, info.name);
    }

    private static ColumnType numeric(int modifier) {
        if (modifier < 4) {
            return ColumnType.of(ColumnKind.NUMERIC_TEXT, "numeric");
        }
        int precision = ((modifier - 4) >> 16) & 0xFFFF;
        int scale = (modifier - 4) & 0xFFFF;
        String name = "numeric(" + precision + "," + scale + ")";
        // PostgreSQL 15+ allows a negative scale or one above the precision; those stay exact text.
        if (precision > 38 || scale > precision) {
            return ColumnType.of(ColumnKind.NUMERIC_TEXT, name);
        }
        return ColumnType.decimal(precision, scale, name);
    }

    private static String builtInName(int oid, int modifier) {
        return switch (oid) {
            case 16 -> "boolean";
            case 21 -> "smallint";
            case 23 -> "integer";
            case 20 -> "bigint";
            case 26 -> "oid";
            case 700 -> "real";
            case 701 -> "double precision";
            case 1043 -> modifier > 4 ? "character varying(" + (modifier - 4) + ")" : "character varying";
            case 1042 -> modifier > 4 ? "character(" + (modifier - 4) + ")" : "character";
            case 1082 -> "date";
            case 1114 -> "timestamp without time zone";
            case 1184 -> "timestamp with time zone";
            case 1083 -> "time without time zone";
            case 1266 -> "time with time zone";
            case 1186 -> "interval";
            case 2950 -> "uuid";
            case 114 -> "json";
            case 3802 -> "jsonb";
            case 17 -> "bytea";
            default -> "text";
        };
    }

    private TypeInfo lookUp(int oid) throws SQLException {
        TypeInfo info = looked.get(oid);
        if (info != null) {
            return info;
        }
        try (PreparedStatement statement = catalog.prepareStatement(
                "SELECT typtype, typbasetype, typtypmod, format_type(oid, NULL) FROM pg_catalog.pg_type WHERE oid = ?")) {
            statement.setInt(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                info = rows.next()
                        ? new TypeInfo(rows.getString(1).charAt(0), rows.getInt(2), rows.getInt(3), rows.getString(4))
                        : new TypeInfo('b', 0, -1, "oid " + oid);
            }
        }
        looked.put(oid, info);
        return info;
    }
}
