package io.cellpipe.postgres;

import io.cellpipe.core.config.TableSelection;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.spi.CaptureException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * What the capture reads from a cell's catalog: which tables to capture, their columns and keys,
 * and the leaf partitions and sizes a snapshot splits into chunks.
 */
final class CellCatalog {
    private final Connection connection;
    private final PostgresTypes types;

    /** A table the capture may publish. {@code relkind} is 'r' (table) or 'p' (partitioned root). */
    record CatalogTable(TableId id, long oid, char relkind, char replicaIdentity, boolean hasPrimaryKey) {
    }

    CellCatalog(Connection connection) {
        this.connection = connection;
        this.types = new PostgresTypes(connection);
    }

    List<CatalogTable> tables(TableSelection selection) throws SQLException {
        List<CatalogTable> tables = new ArrayList<>();
        String sql = """
                SELECT n.nspname, c.relname, c.oid, c.relkind, c.relreplident,
                       EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
                FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
                ORDER BY 1, 2""";
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                TableId id = new TableId(rows.getString(1), rows.getString(2));
                if (selection.includes(id)) {
                    tables.add(new CatalogTable(id, rows.getLong(3), rows.getString(4).charAt(0), rows.getString(5).charAt(0),
                            rows.getBoolean(6)));
                }
            }
        }
        return tables;
    }

    /** The table's columns as logical replication publishes them (generated columns are not published). */
    TableSchema schema(CatalogTable table) throws SQLException {
        Set<String> keys = keyColumns(table.oid(), table.replicaIdentity());
        List<Column> columns = new ArrayList<>();
        String sql = """
                SELECT attname, atttypid, atttypmod FROM pg_catalog.pg_attribute
                WHERE attrelid = ?::oid AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
                ORDER BY attnum""";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, table.oid());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    columns.add(new Column(name, types.columnType(rows.getInt(2), rows.getInt(3)), keys.contains(name)));
                }
            }
        }
        return new TableSchema(table.id(), columns);
    }

    /** The schema of a relation as a Relation message announces it, keyed like {@link #schema}. */
    TableSchema schema(PgoutputMessage.Relation relation) throws SQLException {
        long oid = Integer.toUnsignedLong(relation.relationId());
        // The message's identity flags are the key as of this point in the stream (the catalog may
        // be ahead of it); with REPLICA IDENTITY FULL they flag every column, so ask for the primary key.
        Set<String> keys = relation.replicaIdentity() == 'f' ? keyColumns(oid, relation.replicaIdentity())
                : relation.columns().stream().filter(PgoutputMessage.RelationColumn::identity).map(PgoutputMessage.RelationColumn::name)
                        .collect(java.util.stream.Collectors.toSet());
        Map<String, String> missing = missingValues(oid);
        List<Column> columns = new ArrayList<>(relation.columns().size());
        for (PgoutputMessage.RelationColumn column : relation.columns()) {
            columns.add(new Column(column.name(), types.columnType(column.typeOid(), column.typeModifier()), keys.contains(column.name()),
                    missing.get(column.name())));
        }
        return new TableSchema(new TableId(relation.namespace(), relation.name()), columns);
    }

    /**
     * Values of columns added with a constant default: rows older than the column have it without
     * any WAL record saying so, so a destination must fill it in itself.
     */
    private Map<String, String> missingValues(long oid) throws SQLException {
        Map<String, String> values = new HashMap<>();
        String sql = "SELECT attname, pg_catalog.array_to_string(attmissingval, '') FROM pg_catalog.pg_attribute"
                + " WHERE attrelid = ?::oid AND atthasmissing AND NOT attisdropped";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return values;
    }

    /**
     * The warehouse key: the primary key; else the replica identity index; else none (the table is
     * loaded append-only).
     */
    private Set<String> keyColumns(long oid, char replicaIdentity) throws SQLException {
        Set<String> keys = indexColumns(oid, "i.indisprimary");
        if (keys.isEmpty() && replicaIdentity == 'i') {
            keys = indexColumns(oid, "i.indisreplident");
        }
        return keys;
    }

    /**
     * The columns PostgreSQL logs to identify an updated or deleted row, which a publication's
     * column list must include: the primary key, the replica identity index, every column (FULL),
     * or none (NOTHING, or DEFAULT without a primary key).
     */
    Set<String> replicaIdentityColumns(CatalogTable table) throws SQLException {
        return switch (table.replicaIdentity()) {
            case 'd' -> indexColumns(table.oid(), "i.indisprimary");
            case 'i' -> indexColumns(table.oid(), "i.indisreplident");
            case 'f' -> schema(table).columns().stream().map(Column::name).collect(java.util.stream.Collectors.toSet());
            default -> Set.of();
        };
    }

    private Set<String> indexColumns(long oid, String which) throws SQLException {
        Set<String> keys = new HashSet<>();
        String sql = "SELECT a.attname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a"
                + " ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = ?::oid AND " + which;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.add(rows.getString(1));
                }
            }
        }
        return keys;
    }

    /**
     * The values of a row filter as PostgreSQL spells them as the column's type (the text pgoutput
     * sends), so {@code 007} in a file matches an integer 7 in the stream.
     *
     * @throws CaptureException (not retriable) naming the column or the value when the table has no
     *     such column or a value is not of its type
     */
    Set<String> canonicalValues(CatalogTable table, String column, List<String> values, String where) throws SQLException {
        String type;
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_catalog.format_type(atttypid, atttypmod)"
                + " FROM pg_catalog.pg_attribute WHERE attrelid = ?::oid AND attname = ? AND attnum > 0 AND NOT attisdropped")) {
            statement.setLong(1, table.oid());
            statement.setString(2, column);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new CaptureException(where + ": " + table.id() + " has no column " + column
                            + "; name one of its columns in privacy.row_filters", false);
                }
                type = rows.getString(1);
            }
        }
        Set<String> canonical = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT CAST(v AS " + type + ") FROM unnest(?::text[]) v")) {
            statement.setArray(1, connection.createArrayOf("text", values.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    canonical.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
                throw new CaptureException(where + ": a value is not a valid " + type + " for column " + column + " of "
                        + table.id() + ": " + e.getMessage() + "; fix the values file", false, e);
            }
            throw e;
        }
        return canonical;
    }

    /**
     * The columns a row filter refers to, as PostgreSQL records them for a publication: found by
     * creating a publication {@code probe} with the filter in a transaction that is rolled back.
     *
     * @throws CaptureException (not retriable) with PostgreSQL's reason when it refuses the filter
     *     (a syntax error, a column that does not exist, a function a publication may not call)
     */
    Set<String> rowFilterColumns(CatalogTable table, String filter, String probe, String where) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            try {
                statement.execute("CREATE PUBLICATION " + TableId.quote(probe) + " FOR TABLE " + table.id().quoted() + " WHERE (" + filter
                        + ") WITH (publish_via_partition_root = true)");
            } catch (SQLException e) {
                if (e.getSQLState() != null && (e.getSQLState().startsWith("42") && !"42501".equals(e.getSQLState())
                        || e.getSQLState().startsWith("0A"))) {
                    throw new CaptureException(where + " is not a row filter PostgreSQL accepts for " + table.id() + ": "
                            + e.getMessage(), false, e);
                }
                throw e;
            }
            Set<String> columns = new HashSet<>();
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT a.attname FROM pg_catalog.pg_depend d
                    JOIN pg_catalog.pg_publication_rel pr ON d.classid = 'pg_catalog.pg_publication_rel'::regclass AND d.objid = pr.oid
                    JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                    WHERE p.pubname = ? AND d.refobjid = ?::oid AND d.refobjsubid > 0""")) {
                query.setString(1, probe);
                query.setLong(2, table.oid());
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        columns.add(rows.getString(1));
                    }
                }
            }
            return columns;
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The relations holding a table's rows: itself, or the leaf partitions of a partitioned table. */
    List<TableId> storageRelations(CatalogTable table) throws SQLException {
        if (table.relkind() != 'p') {
            return List.of(table.id());
        }
        List<TableId> leaves = new ArrayList<>();
        String sql = """
                SELECT n.nspname, c.relname FROM pg_catalog.pg_partition_tree(?::oid) t
                JOIN pg_catalog.pg_class c ON c.oid = t.relid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE t.isleaf ORDER BY 1, 2""";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, table.oid());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    leaves.add(new TableId(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return leaves;
    }

    /** Pages of a relation now; any row visible to an earlier snapshot lies within them. */
    long pages(TableId relation) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_catalog.pg_relation_size(?::regclass) / current_setting('block_size')::bigint")) {
            statement.setString(1, relation.quoted());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** PostgreSQL's estimate of a relation's rows ({@code reltuples}); 0 when never analyzed. */
    long estimatedRows(TableId relation) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT greatest(reltuples, 0)::bigint FROM pg_catalog.pg_class WHERE oid = ?::regclass")) {
            statement.setString(1, relation.quoted());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }
}
