package io.cellpipe.postgres;

import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.config.TableSelection;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.privacy.ColumnPolicies;
import io.cellpipe.core.privacy.TablePolicy;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.verify.KeyBuckets;
import io.cellpipe.core.verify.RangeChecksum;
import io.cellpipe.core.verify.RangeChecksums;
import io.cellpipe.core.verify.RowSource;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Optional;
import io.cellpipe.core.verify.VerifyRow;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads a cell's current tables for verification, in key order, each value in the canonical text
 * of {@link io.cellpipe.core.verify.CanonicalValue}. Runs in one repeatable-read transaction so all
 * tables are seen as of one moment. With column policies, tables and rows are seen as the warehouse
 * holds them: dropped columns are not read, hashed and redacted ones are transformed as the capture does.
 */
public final class PostgresRowSource implements RowSource, RangeChecksums, AutoCloseable {
    private static final int FETCH_SIZE = 5_000;

    private final String cellId;
    private final Connection connection;
    private final CellCatalog catalog;
    private final ColumnPolicies policies;
    /** The policy behind each schema {@link #tables} returned, by identity. */
    private final Map<TableSchema, TablePolicy> returned = new IdentityHashMap<>();

    public PostgresRowSource(CellConfig cell) throws SQLException {
        this(cell, ColumnPolicies.none());
    }

    public PostgresRowSource(CellConfig cell, ColumnPolicies policies) throws SQLException {
        this.policies = policies;
        this.cellId = cell.id();
        this.connection = new CellConnector(cell).open();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
        this.catalog = new CellCatalog(connection);
    }

    /** The tables the pipeline captures from this cell, with their current columns as the warehouse holds them. */
    public List<TableSchema> tables(TableSelection selection) throws SQLException {
        List<TableSchema> schemas = new ArrayList<>();
        for (CellCatalog.CatalogTable table : catalog.tables(selection)) {
            TablePolicy policy = policies.forTable(catalog.schema(table));
            returned.put(policy.schema(), policy);
            schemas.add(policy.schema());
        }
        return schemas;
    }

    @Override
    public Iterator<VerifyRow> scan(String cellId, TableSchema table) {
        return scan(cellId, table, null);
    }

    @Override
    public Iterator<VerifyRow> scan(String cellId, TableSchema table, String predicate) {
        TablePolicy policy = policy(cellId, table);
        Rows rows;
        try {
            Statement statement = connection.createStatement();
            statement.setFetchSize(FETCH_SIZE);
            rows = new Rows(statement, statement.executeQuery(query(policy, rowFilter(table), predicate)), policy);
        } catch (SQLException e) {
            throw new IllegalStateException(cellId + ": cannot read " + table.id() + ": " + e.getMessage(), e);
        }
        return hashesKey(policy) ? sortedByKey(policy.schema(), rows) : rows;
    }

    private TablePolicy policy(String cellId, TableSchema table) {
        if (!this.cellId.equals(cellId)) {
            throw new IllegalArgumentException("this reader reads cell " + this.cellId + ", not " + cellId);
        }
        TablePolicy policy = returned.get(table);
        return policy != null ? policy : policies.forTable(table);
    }

    /** The table's privacy row filter as SQL, or null: the warehouse holds only the rows it admits. */
    private String rowFilter(TableSchema table) {
        return RowFilterSql.of(policies.config().rowFilter(table.id()));
    }

    @Override
    public Optional<long[]> keyBounds(String cellId, TableSchema table) {
        TablePolicy policy = policy(cellId, table);
        String key = TableId.quote(table.keyColumns().get(0).name());
        String filter = rowFilter(table);
        String sql = "SELECT min(" + key + "), max(" + key + "), (SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint"
                + " FROM pg_catalog.pg_partition_tree(" + literal(policy.source().id().quoted()) + "::regclass) p"
                + " JOIN pg_catalog.pg_class c ON c.oid = p.relid) FROM " + policy.source().id().quoted()
                + (filter == null ? "" : " WHERE (" + filter + ")");
        return query(table, sql, rows -> {
            rows.next();
            return rows.getObject(1) == null ? Optional.empty() : Optional.of(new long[] {rows.getLong(1), rows.getLong(2), rows.getLong(3)});
        });
    }

    @Override
    public Map<Long, RangeChecksum> checksums(String cellId, TableSchema table, KeyBuckets buckets) {
        TablePolicy policy = policy(cellId, table);
        String filter = rowFilter(table);
        String sql = "SELECT " + buckets.bucketExpression("/") + " AS bucket, count(*), sum(('x' || substr(md5(" + rowText(table)
                + "), 1, 15))::bit(60)::bigint)::text FROM " + policy.source().id().quoted() + (filter == null ? "" : " WHERE (" + filter + ")")
                + " GROUP BY bucket";
        return query(table, sql, rows -> {
            Map<Long, RangeChecksum> sums = new HashMap<>();
            while (rows.next()) {
                sums.put(rows.getLong(1), new RangeChecksum(rows.getLong(2), new BigInteger(rows.getString(3))));
            }
            return sums;
        });
    }

    /** See {@link RangeChecksums}: each value in the spelling the warehouse reproduces in SQL. */
    private static String rowText(TableSchema table) {
        List<String> parts = new ArrayList<>();
        for (Column column : RangeChecksums.checksummed(table)) {
            String name = TableId.quote(column.name());
            String text = switch (column.type().kind()) {
                case TIMESTAMP, TIMESTAMPTZ -> "CASE WHEN isfinite(" + name + ") THEN (extract(epoch FROM " + name + ") * 1000000)::bigint::text"
                        + " ELSE " + name + "::text END";
                case BYTES -> "encode(" + name + ", 'hex')";
                // the type's output function, as streamed (a cast to text differs for some types)
                case TEXT -> "format('%s', " + name + ")";
                default -> name + "::text";
            };
            parts.add("CASE WHEN " + name + " IS NULL THEN 'n' ELSE 'v' || length(" + text + ") || ':' || " + text + " END");
        }
        return parts.isEmpty() ? "''" : "concat_ws('|', " + String.join(", ", parts) + ")";
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private interface Reader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> T query(TableSchema table, String sql, Reader<T> reader) {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return reader.read(rows);
        } catch (SQLException e) {
            throw new IllegalStateException(cellId + ": cannot sum " + table.id() + " by key range for verification: " + e.getMessage(), e);
        }
    }

    /** Whether a key column is hashed (or redacted): the cell then cannot sort rows the way the warehouse does. */
    private static boolean hashesKey(TablePolicy policy) {
        for (int i = 0; i < policy.schema().columns().size(); i++) {
            if (policy.schema().columns().get(i).key() && !policy.keepsValue(i)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The warehouse holds a hashed key's hashes and sorts by them; the cell can only sort by the
     * values. So such a table's rows are read whole and sorted here, in memory, by the transformed key.
     */
    private static Iterator<VerifyRow> sortedByKey(TableSchema schema, Rows rows) {
        List<VerifyRow> all = new ArrayList<>();
        rows.forEachRemaining(all::add);
        all.sort(io.cellpipe.core.verify.TableComparator.keyOrder(schema));
        return all.iterator();
    }

    static String query(TableSchema table) {
        return query(ColumnPolicies.none().forTable(table), null);
    }

    /**
     * Selects the columns of the policy's schema, of the rows {@code rowFilter} (SQL, or null for
     * all) admits; a hashed or redacted one as the stream sends it, to be transformed here.
     */
    static String query(TablePolicy policy, String rowFilter) {
        return query(policy, rowFilter, null);
    }

    /** Like {@link #query(TablePolicy, String)}, also limited to the rows {@code predicate} (SQL, or null) admits. */
    static String query(TablePolicy policy, String rowFilter, String predicate) {
        TableSchema table = policy.source();
        List<String> selected = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < policy.schema().columns().size(); i++) {
            Column column = table.columns().get(policy.sourcePosition(i));
            // Qualified, because ORDER BY resolves a bare name to the output column: the text cast.
            String name = "t." + io.cellpipe.core.model.TableId.quote(column.name());
            selected.add((policy.keepsValue(i) ? canonical(column, name) : name) + " AS c" + selected.size());
            if (column.key() || !table.hasKey()) {
                order.add(orderBy(column, name));
            }
        }
        List<String> conditions = new ArrayList<>();
        if (rowFilter != null) {
            conditions.add("(" + rowFilter + ")");
        }
        if (predicate != null) {
            conditions.add("(" + predicate + ")");
        }
        return "SELECT " + String.join(", ", selected) + " FROM " + table.id().quoted() + " t"
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions)) + " ORDER BY " + String.join(", ", order);
    }

    private static String canonical(Column column, String name) {
        return switch (column.type().kind()) {
            case BYTES -> "encode(" + name + ", 'hex')";
            case INTERVAL -> "(extract(year FROM " + name + ") * 12 + extract(month FROM " + name + "))::bigint || '/' || extract(day FROM "
                    + name + ")::bigint || '/' || (extract(hour FROM " + name + ") * 3600000000 + extract(minute FROM " + name
                    + ") * 60000000 + extract(microseconds FROM " + name + "))::bigint";
            // The type's own output text, as streamed (a cast to text differs: inet gains its /32).
            default -> name;
        };
    }

    private static String orderBy(Column column, String name) {
        return switch (column.type().kind()) {
            case TEXT, JSON, NUMERIC_TEXT -> name + "::text COLLATE \"C\"";
            default -> name;
        };
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }

    private static final class Rows implements Iterator<VerifyRow>, AutoCloseable {
        private final Statement statement;
        private final ResultSet rows;
        private final TablePolicy policy;
        private final int columns;
        private Boolean hasNext;

        Rows(Statement statement, ResultSet rows, TablePolicy policy) {
            this.statement = statement;
            this.rows = rows;
            this.policy = policy;
            this.columns = policy.schema().columns().size();
        }

        @Override
        public boolean hasNext() {
            if (hasNext == null) {
                try {
                    hasNext = rows.next();
                    if (!hasNext) {
                        close();
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("reading rows for verification failed: " + e.getMessage(), e);
                }
            }
            return hasNext;
        }

        @Override
        public VerifyRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            hasNext = null;
            try {
                List<String> values = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    values.add(policy.apply(i - 1, rows.getString(i)));
                }
                return new VerifyRow(values, false);
            } catch (SQLException e) {
                throw new IllegalStateException("reading rows for verification failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                statement.close();
            } catch (SQLException e) {
                throw new IllegalStateException("closing a verification query failed: " + e.getMessage(), e);
            }
        }
    }
}
