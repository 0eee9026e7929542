package io.cellpipe.duckdb;

import io.cellpipe.core.cluster.Anomaly;
import io.cellpipe.core.cluster.ClusterwideDifference;
import io.cellpipe.core.cluster.CrossCellQueries;
import io.cellpipe.core.config.SequenceRange;
import io.cellpipe.core.model.TableId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.locks.Lock;
import org.duckdb.DuckDBConnection;

/**
 * The cross-cell checks' questions, answered in SQL where every cell's rows meet. Reads run under
 * the shared data lock so that no table changes shape mid-query; the static-table views are made
 * under the exclusive one, like any DDL.
 */
final class DuckDbCrossCellQueries implements CrossCellQueries {
    static final String ANOMALIES = ControlTables.SCHEMA + ".anomalies";
    static final String DIFFERENCES = ControlTables.SCHEMA + ".clusterwide_differences";
    /** Reported per check and kind at most; the rest is counted in the log, found again once these are fixed. */
    private static final int LIMIT = 1000;

    private final Warehouse warehouse;
    private final WarehouseCatalog catalog;

    DuckDbCrossCellQueries(Warehouse warehouse, WarehouseCatalog catalog) {
        this.warehouse = warehouse;
        this.catalog = catalog;
    }

    static List<String> createSql() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS " + ANOMALIES + " (kind VARCHAR NOT NULL, cell_id VARCHAR NOT NULL, table_name VARCHAR NOT NULL,"
                        + " \"key\" VARCHAR NOT NULL, detail VARCHAR NOT NULL, first_seen TIMESTAMP WITH TIME ZONE NOT NULL,"
                        + " last_seen TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (kind, cell_id, table_name, \"key\"))",
                "CREATE TABLE IF NOT EXISTS " + DIFFERENCES + " (table_name VARCHAR NOT NULL, kind VARCHAR NOT NULL, \"key\" VARCHAR NOT NULL,"
                        + " column_name VARCHAR NOT NULL, cell_id VARCHAR NOT NULL, \"value\" VARCHAR, majority_value VARCHAR,"
                        + " first_seen TIMESTAMP WITH TIME ZONE NOT NULL, last_seen TIMESTAMP WITH TIME ZONE NOT NULL)",
                "CREATE OR REPLACE VIEW " + ControlTables.SCHEMA + ".settings_drift AS SELECT table_name, \"key\", column_name, cell_id,"
                        + " \"value\", majority_value, first_seen AS since, last_seen FROM " + DIFFERENCES + " WHERE kind = 'settings'");
    }

    @Override
    public boolean hasColumn(TableId table, String column) {
        return catalog.table(table).map(found -> found.indexOf(column) >= 0).orElse(false);
    }

    @Override
    public OutOfRange outOfRange(String cellId, TableId table, String column, List<SequenceRange> ranges, long sinceLsn) {
        String value = "TRY_CAST(" + TableId.quote(column) + " AS HUGEINT)";
        StringJoiner inside = new StringJoiner(" OR ", "(", ")");
        ranges.forEach(range -> inside.add(value + " BETWEEN " + range.minval() + " AND " + range.maxval()));
        String from = " FROM " + table.quoted() + " WHERE _cell_id = ? AND _lsn_value > ?";
        String outside = from + " AND NOT _deleted AND " + value + " IS NOT NULL AND NOT " + inside;
        return read(connection -> {
            long upTo = sinceLsn;
            try (PreparedStatement statement = connection.prepareStatement("SELECT max(_lsn_value)::BIGINT" + from)) {
                bind(statement, cellId, sinceLsn);
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next() && rows.getObject(1) != null) {
                        upTo = rows.getLong(1);
                    }
                }
            }
            List<Anomaly> anomalies = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + value + "::VARCHAR" + outside + " ORDER BY 1 LIMIT "
                    + LIMIT)) {
                bind(statement, cellId, sinceLsn);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        anomalies.add(new Anomaly(Anomaly.Kind.OUT_OF_RANGE, cellId, table, column + "=" + rows.getString(1),
                                column + " " + rows.getString(1) + " is outside cell " + cellId + "'s sequence ranges " + ranges
                                        + "; the row was created by another cell, copied in, or given an id by hand"));
                    }
                }
            }
            return new OutOfRange(anomalies, upTo);
        });
    }

    private static void bind(PreparedStatement statement, String cellId, long sinceLsn) throws SQLException {
        statement.setString(1, cellId);
        statement.setLong(2, Math.max(-1, sinceLsn));
    }

    @Override
    public List<Anomaly> collisions(TableId table, List<String> keyColumns) {
        String key = keyText(keyColumns);
        String sql = "SELECT " + key + ", list(DISTINCT _cell_id ORDER BY _cell_id) FROM " + table.quoted() + " WHERE NOT _deleted GROUP BY ALL"
                + " HAVING count(DISTINCT _cell_id) > 1 ORDER BY 1 LIMIT " + LIMIT;
        return read(connection -> {
            List<Anomaly> anomalies = new ArrayList<>();
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                while (rows.next()) {
                    List<String> cells = new ArrayList<>();
                    for (Object cell : (Object[]) rows.getArray(2).getArray()) {
                        cells.add(String.valueOf(cell));
                    }
                    for (String cell : cells) {
                        anomalies.add(new Anomaly(Anomaly.Kind.COLLISION, cell, table, rows.getString(1), "the same key is live in cells "
                                + String.join(", ", cells) + " although " + table + " is configured as globally unique"));
                    }
                }
            }
            return anomalies;
        });
    }

    @Override
    public List<ClusterwideDifference> differences(TableId table, List<String> keyColumns, List<String> cellIds) {
        WarehouseTable stored = catalog.table(table).orElseThrow(() -> new IllegalStateException(table + " is not in the warehouse"));
        List<String> columns = new ArrayList<>();
        for (WarehouseColumn column : stored.columns()) {
            if (!keyColumns.contains(column.name())) {
                columns.add(column.name());
            }
        }
        StringJoiner cellList = new StringJoiner(", ", "[", "]");
        cellIds.forEach(cell -> cellList.add("'" + cell.replace("'", "''") + "'"));
        StringBuilder sql = new StringBuilder("WITH live AS (SELECT _cell_id, ").append(keyText(keyColumns)).append(" AS _key, *")
                .append(" FROM ").append(table.quoted()).append(" WHERE NOT _deleted AND list_contains(").append(cellList).append(", _cell_id)),")
                .append(" cells AS (SELECT unnest(").append(cellList).append(") AS _cell_id),")
                .append(" all_values AS (SELECT c._cell_id, k._key, '").append(ClusterwideDifference.ROW).append("' AS column_name,")
                .append(" CASE WHEN l._key IS NULL THEN 'missing' ELSE 'present' END AS value FROM cells c CROSS JOIN (SELECT DISTINCT _key FROM live) k")
                .append(" LEFT JOIN live l ON l._cell_id = c._cell_id AND l._key = k._key");
        for (String column : columns) {
            sql.append(" UNION ALL SELECT _cell_id, _key, '").append(column.replace("'", "''")).append("', CAST(")
                    .append(TableId.quote(column)).append(" AS VARCHAR) FROM live");
        }
        sql.append("), votes AS (SELECT _key, column_name, value, count(*) AS votes, min(_cell_id) AS first_cell FROM all_values GROUP BY ALL),")
                .append(" majority AS (SELECT _key, column_name, value FROM votes QUALIFY row_number() OVER (PARTITION BY _key, column_name")
                .append(" ORDER BY votes DESC, first_cell) = 1)")
                .append(" SELECT a._key, a.column_name, a._cell_id, a.value, m.value FROM all_values a JOIN majority m")
                .append(" ON a._key = m._key AND a.column_name = m.column_name WHERE a.value IS DISTINCT FROM m.value ORDER BY 1, 2, 3 LIMIT ")
                .append(LIMIT * 10);
        return read(connection -> {
            List<ClusterwideDifference> differences = new ArrayList<>();
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql.toString())) {
                while (rows.next()) {
                    differences.add(new ClusterwideDifference(table, rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5)));
                }
            }
            return differences;
        });
    }

    @Override
    public void recordAnomalies(List<Anomaly> anomalies) {
        write(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + ANOMALIES + " VALUES (?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT DO UPDATE SET detail = excluded.detail, last_seen = excluded.last_seen")) {
                Timestamp now = Timestamp.from(Instant.now());
                Map<String, Anomaly> unique = new LinkedHashMap<>();
                anomalies.forEach(anomaly -> unique.put(anomaly.kind() + "\u0000" + anomaly.cellId() + "\u0000" + anomaly.table() + "\u0000"
                        + anomaly.key(), anomaly));
                for (Anomaly anomaly : unique.values()) {
                    statement.setString(1, anomaly.kind().label());
                    statement.setString(2, anomaly.cellId());
                    statement.setString(3, anomaly.table().qualified());
                    statement.setString(4, anomaly.key());
                    statement.setString(5, anomaly.detail());
                    statement.setTimestamp(6, now);
                    statement.setTimestamp(7, now);
                    statement.executeUpdate(); // few rows; DuckDB's executeBatch would begin a transaction of its own
                }
            }
            return null;
        });
    }

    @Override
    public void recordDifferences(TableId table, String kind, List<ClusterwideDifference> differences) {
        write(connection -> {
            Map<String, Timestamp> since = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT \"key\", column_name, cell_id, first_seen FROM " + DIFFERENCES
                    + " WHERE table_name = ?")) {
                statement.setString(1, table.qualified());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        since.put(rows.getString(1) + "\u0000" + rows.getString(2) + "\u0000" + rows.getString(3), rows.getTimestamp(4));
                    }
                }
            }
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + DIFFERENCES + " WHERE table_name = ?")) {
                statement.setString(1, table.qualified());
                statement.execute();
            }
            if (differences.isEmpty()) {
                return null;
            }
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + DIFFERENCES + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (ClusterwideDifference difference : differences) {
                    statement.setString(1, table.qualified());
                    statement.setString(2, kind);
                    statement.setString(3, difference.key());
                    statement.setString(4, difference.column());
                    statement.setString(5, difference.cellId());
                    statement.setString(6, difference.value());
                    statement.setString(7, difference.majorityValue());
                    statement.setTimestamp(8, since.getOrDefault(difference.key() + "\u0000" + difference.column() + "\u0000" + difference.cellId(), now));
                    statement.setTimestamp(9, now);
                    statement.executeUpdate(); // few rows; DuckDB's executeBatch would begin a transaction of its own
                }
            }
            return null;
        });
    }

    @Override
    public Map<String, Long> anomalyCounts() {
        return read(connection -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (Anomaly.Kind kind : Anomaly.Kind.values()) {
                counts.put(kind.label(), 0L);
            }
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT kind, count(*) FROM " + ANOMALIES + " GROUP BY kind")) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
            return counts;
        });
    }

    /**
     * A view {@code <schema>_clusterwide.<table>}: per key, the live row most cells hold (ties go to
     * the lowest cell id), without cellpipe's per-cell columns.
     */
    @Override
    public void presentOnce(TableId table, List<String> keyColumns) {
        StringJoiner key = new StringJoiner(", ");
        keyColumns.forEach(column -> key.add(TableId.quote(column)));
        String schema = TableId.quote(table.schema() + "_clusterwide");
        String view = "CREATE OR REPLACE VIEW " + schema + "." + TableId.quote(table.name()) + " AS SELECT * EXCLUDE (_votes, _first_cell) FROM"
                + " (SELECT * EXCLUDE (_cell_id, _lsn, _lsn_value, _op, _commit_ts, _deleted, _uploaded_at), count(*) AS _votes,"
                + " min(_cell_id) AS _first_cell FROM " + table.quoted() + " WHERE NOT _deleted GROUP BY ALL)"
                + " QUALIFY row_number() OVER (PARTITION BY " + key + " ORDER BY _votes DESC, _first_cell) = 1";
        Lock ddl = catalog.ddlLock();
        ddl.lock();
        try (DuckDBConnection connection = warehouse.session()) {
            SqlTransaction.execute(connection, "CREATE SCHEMA IF NOT EXISTS " + schema);
            SqlTransaction.execute(connection, view);
        } catch (SQLException e) {
            throw new WarehouseException("cannot create the view presenting clusterwide table " + table + " once: " + e.getMessage(), e);
        } finally {
            ddl.unlock();
        }
    }

    private static String keyText(List<String> keyColumns) {
        if (keyColumns.size() == 1) {
            return "CAST(" + TableId.quote(keyColumns.get(0)) + " AS VARCHAR)";
        }
        StringJoiner parts = new StringJoiner(", ", "concat_ws(',', ", ")");
        keyColumns.forEach(column -> parts.add("CAST(" + TableId.quote(column) + " AS VARCHAR)"));
        return parts.toString();
    }

    private interface Work<T> {
        T run(DuckDBConnection connection) throws SQLException;
    }

    private <T> T read(Work<T> work) {
        Lock lock = catalog.dataLock();
        lock.lock();
        try (DuckDBConnection connection = warehouse.session()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new WarehouseException("cross-cell check query failed in the DuckDB warehouse " + warehouse.path() + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private <T> T write(Work<T> work) {
        return read(connection -> SqlTransaction.run(connection, () -> work.run(connection)));
    }
}
