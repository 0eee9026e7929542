package io.cellpipe.duckdb;

import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.verify.KeyBuckets;
import io.cellpipe.core.verify.RangeChecksum;
import io.cellpipe.core.verify.RangeChecksums;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.duckdb.DuckDBConnection;

/** The warehouse side of verification by key range: one cell's live rows, summed per range in DuckDB. */
final class WarehouseChecksums {
    private final Warehouse warehouse;
    private final WarehouseCatalog catalog;

    WarehouseChecksums(Warehouse warehouse, WarehouseCatalog catalog) {
        this.warehouse = warehouse;
        this.catalog = catalog;
    }

    Optional<long[]> keyBounds(String cellId, TableSchema schema) {
        WarehouseTable table = catalog.table(schema.id()).orElse(null);
        if (table == null) {
            return Optional.empty();
        }
        String key = TableId.quote(schema.keyColumns().get(0).name());
        String sql = "SELECT min(" + key + "), max(" + key + "), count(*) FROM " + table.quotedName() + " WHERE _cell_id = ? AND NOT \"_deleted\"";
        return query(cellId, schema, sql, rows -> {
            rows.next();
            return rows.getLong(3) == 0 ? Optional.empty() : Optional.of(new long[] {rows.getLong(1), rows.getLong(2), rows.getLong(3)});
        });
    }

    Map<Long, RangeChecksum> checksums(String cellId, TableSchema schema, KeyBuckets buckets) {
        WarehouseTable table = catalog.table(schema.id()).orElse(null);
        if (table == null) {
            return Map.of();
        }
        String sql = "SELECT " + buckets.bucketExpression("//") + " AS bucket, count(*), CAST(sum(CAST(('0x' || substr(md5(" + rowText(table, schema)
                + "), 1, 15)) AS BIGINT)) AS VARCHAR) FROM " + table.quotedName() + " WHERE _cell_id = ? AND NOT \"_deleted\" GROUP BY bucket";
        return query(cellId, schema, sql, rows -> {
            Map<Long, RangeChecksum> sums = new HashMap<>();
            while (rows.next()) {
                sums.put(rows.getLong(1), new RangeChecksum(rows.getLong(2), new BigInteger(rows.getString(3))));
            }
            return sums;
        });
    }

    /** See {@link RangeChecksums}: each value as the cell spells it in SQL. */
    private static String rowText(WarehouseTable table, TableSchema schema) {
        List<String> parts = new ArrayList<>();
        for (Column column : RangeChecksums.checksummed(schema)) {
            int position = table.indexOf(column.name());
            if (position < 0) {
                parts.add("'n'");
                continue;
            }
            WarehouseColumn stored = table.column(position);
            String text = text(column.type().kind(), stored);
            parts.add("CASE WHEN " + stored.quoted() + " IS NULL THEN 'n' ELSE 'v' || length(" + text + ") || ':' || " + text + " END");
        }
        return parts.isEmpty() ? "''" : "concat_ws('|', " + String.join(", ", parts) + ")";
    }

    private static String text(ColumnKind kind, WarehouseColumn stored) {
        if (stored.sqlType().equals(DuckDbTypes.VARCHAR)) {
            return stored.quoted();
        }
        return switch (kind) {
            case TIMESTAMP, TIMESTAMPTZ -> "CAST(epoch_us(" + stored.quoted() + ") AS VARCHAR)";
            case BYTES -> "lower(hex(" + stored.quoted() + "))";
            default -> "CAST(" + stored.quoted() + " AS VARCHAR)";
        };
    }

    private interface Reader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> T query(String cellId, TableSchema schema, String sql, Reader<T> reader) {
        try (DuckDBConnection connection = warehouse.session(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, cellId);
            try (ResultSet rows = statement.executeQuery()) {
                return reader.read(rows);
            }
        } catch (SQLException e) {
            throw new WarehouseException(cellId + ": cannot sum warehouse table " + schema.id() + " by key range for verification: "
                    + e.getMessage(), e);
        }
    }
}
