package io.cellpipe.duckdb;

import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse tables and their shapes, cached so that checking a change's shape costs a map
 * lookup. Creates and widens tables as new shapes arrive.
 *
 * <p>DuckDB fails a transaction that writes to a table another transaction altered meanwhile (and
 * even one that alters a table it wrote to). So DDL runs in its own transaction, under the write
 * side of {@link #dataLock()}'s lock, and every writing transaction holds the read side from
 * before its BEGIN to its end.
 */
final class WarehouseCatalog {
    private static final Logger log = LoggerFactory.getLogger(WarehouseCatalog.class);
    private static final String COLUMNS = "SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns()"
            + " WHERE database_name = current_database() AND NOT internal AND schema_name <> '" + ControlTables.SCHEMA + "'";

    private final Warehouse warehouse;
    private final ReentrantReadWriteLock ddlLock = new ReentrantReadWriteLock();
    private final Map<TableId, WarehouseTable> tables = new ConcurrentHashMap<>();
    private final Map<TableSchema, TableBinding> bindings = new ConcurrentHashMap<>();

    private WarehouseCatalog(Warehouse warehouse) {
        this.warehouse = warehouse;
    }

    static WarehouseCatalog load(Warehouse warehouse) {
        WarehouseCatalog catalog = new WarehouseCatalog(warehouse);
        try (DuckDBConnection connection = warehouse.session()) {
            catalog.tables.putAll(read(connection, null));
        } catch (SQLException e) {
            throw new WarehouseException("cannot read the tables of the DuckDB warehouse " + warehouse.path() + ": " + e.getMessage(), e);
        }
        return catalog;
    }

    /** Held (shared) by every transaction that writes rows; DDL takes it exclusively. */
    Lock dataLock() {
        return ddlLock.readLock();
    }

    /** Taken by DDL that is not a table's own evolution (views over the tables). */
    Lock ddlLock() {
        return ddlLock.writeLock();
    }

    Optional<WarehouseTable> table(TableId id) {
        return Optional.ofNullable(tables.get(id));
    }

    Collection<WarehouseTable> tables() {
        return List.copyOf(tables.values());
    }

    /**
     * Where {@code schema}'s columns live, creating the table or adding and widening columns first
     * if needed. Must not be called while holding {@link #dataLock()}.
     *
     * @throws IncompatibleSchemaException if the warehouse table cannot take this shape
     */
    TableBinding bind(String cellId, TableSchema schema) {
        TableBinding binding = bindings.get(schema);
        WarehouseTable current = tables.get(schema.id());
        if (binding != null && binding.table() == current) {
            return binding;
        }
        TableDdl.checkNames(cellId, schema);
        if (current != null && TableDdl.evolve(cellId, schema, current).isEmpty()) {
            return remember(TableBinding.of(current, schema));
        }
        ddlLock.writeLock().lock();
        try {
            return remember(TableBinding.of(evolve(cellId, schema), schema));
        } finally {
            ddlLock.writeLock().unlock();
        }
    }

    private TableBinding remember(TableBinding binding) {
        bindings.put(binding.schema(), binding);
        return binding;
    }

    private WarehouseTable evolve(String cellId, TableSchema schema) {
        WarehouseTable current = tables.get(schema.id());
        List<String> ddl = current == null ? TableDdl.create(schema) : TableDdl.evolve(cellId, schema, current);
        if (ddl.isEmpty()) {
            return current;
        }
        try (DuckDBConnection connection = warehouse.session()) {
            try {
                for (String statement : ddl) {
                    SqlTransaction.execute(connection, statement);
                    log.info("{}: warehouse table {} follows the source's shape: {}", cellId, schema.id(), statement);
                }
            } catch (SQLException e) {
                throw ddlFailed(cellId, schema.id(), current == null, e);
            } finally {
                // what is in DuckDB now, whether all, some or none of the statements succeeded
                read(connection, schema.id()).values().forEach(table -> tables.put(table.id(), table));
            }
        } catch (SQLException e) {
            throw new WarehouseException("cannot re-read the shape of warehouse table " + schema.id() + " after changing it: "
                    + e.getMessage(), e);
        }
        return tables.get(schema.id());
    }

    private RuntimeException ddlFailed(String cellId, TableId table, boolean creating, SQLException e) {
        if (creating && String.valueOf(e.getMessage()).contains("already exists")) {
            return new IncompatibleSchemaException(cellId, table, cellId + ": the DuckDB warehouse " + warehouse.path()
                    + " already has a table " + table + ", or one whose name differs only in case (DuckDB treats those as the"
                    + " same), that cellpipe did not create for this source table; rename or drop it, or exclude the source table,"
                    + " then resync the table. DuckDB error: " + e.getMessage());
        }
        return new WarehouseException(cellId + ": cannot " + (creating ? "create" : "change") + " warehouse table " + table
                + " in " + warehouse.path() + ": " + e.getMessage(), e);
    }

    /**
     * Whether the stored column order is the created one: {@code _cell_id}, the source columns,
     * then the metadata. A column added later comes after the metadata.
     */
    private static boolean inCreatedOrder(List<WarehouseColumn> stored, List<WarehouseColumn> source) {
        List<String> created = new ArrayList<>();
        created.add(WarehouseTable.CELL_ID);
        source.forEach(column -> created.add(column.name()));
        WarehouseTable.METADATA.forEach(column -> created.add(column.name()));
        return stored.stream().map(WarehouseColumn::name).toList().equals(created);
    }

    /** Tables with cellpipe's columns, of one table ({@code only}) or all. */
    private static Map<TableId, WarehouseTable> read(Connection connection, TableId only) throws SQLException {
        String sql = COLUMNS + (only == null ? "" : " AND schema_name = ? AND table_name = ?") + " ORDER BY schema_name, table_name, column_index";
        Map<TableId, List<WarehouseColumn>> columns = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (only != null) {
                statement.setString(1, only.schema());
                statement.setString(2, only.name());
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.computeIfAbsent(new TableId(rows.getString(1), rows.getString(2)), id -> new ArrayList<>())
                            .add(new WarehouseColumn(rows.getString(3), rows.getString(4)));
                }
            }
        }
        Map<TableId, WarehouseTable> tables = new LinkedHashMap<>();
        columns.forEach((id, all) -> {
            Set<String> names = new HashSet<>();
            all.forEach(column -> names.add(column.name()));
            if (names.containsAll(WarehouseTable.RESERVED_NAMES)) {
                List<WarehouseColumn> source = all.stream().filter(column -> !WarehouseTable.RESERVED_NAMES.contains(column.name())).toList();
                tables.put(id, new WarehouseTable(id, source, inCreatedOrder(all, source)));
            }
        });
        return tables;
    }
}
