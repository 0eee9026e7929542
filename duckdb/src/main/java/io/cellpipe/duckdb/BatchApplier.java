package io.cellpipe.duckdb;

import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.model.Transaction;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import org.duckdb.DuckDBConnection;

/**
 * Applies batches atomically on one long-lived connection, which keeps a staging table per
 * warehouse table between batches. Batches are applied one at a time.
 */
final class BatchApplier implements AutoCloseable {
    private final Warehouse warehouse;
    private final WarehouseCatalog catalog;
    private final DuckDbOptions options;
    private final ColumnFills fills;
    private final Map<TableId, StagingTable> staging = new HashMap<>();
    private DuckDBConnection connection;
    private ChangeLogIds changeLogIds = new ChangeLogIds();

    BatchApplier(Warehouse warehouse, WarehouseCatalog catalog, ColumnFills fills, DuckDbOptions options) {
        this.warehouse = warehouse;
        this.catalog = catalog;
        this.fills = fills;
        this.options = options;
    }

    synchronized void apply(List<Transaction> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Map<TableSchema, TableBinding> bindings = bind(batch);
        Lock dataLock = catalog.dataLock();
        dataLock.lock();
        try {
            DuckDBConnection session = connection();
            Map<TableId, WarehouseTable> tables = new HashMap<>();
            for (TableBinding binding : bindings.values()) {
                TableId id = binding.table().id();
                if (!tables.containsKey(id)) {
                    WarehouseTable table = catalog.table(id).orElseThrow();
                    tables.put(id, table);
                    StagingTable stagingTable = staging.get(id);
                    if (stagingTable == null) {
                        stagingTable = new StagingTable("cellpipe_staging_" + staging.size());
                        staging.put(id, stagingTable);
                    }
                    stagingTable.prepare(session, table.width());
                }
            }
            for (Transaction transaction : batch) {
                // a resync's last chunk may have no rows, yet marks the table's vanished rows deleted
                if (transaction.resync() != null) {
                    TableId id = transaction.resync().table().id();
                    catalog.table(id).ifPresent(table -> tables.putIfAbsent(id, table));
                }
            }
            BatchWrite write = new BatchWrite(session, options, bindings, tables, staging, fills, changeLogIds);
            SqlTransaction.run(session, () -> {
                write.write(batch);
                return null;
            });
            write.committed();
        } catch (RuntimeException e) {
            discardConnection();
            throw e;
        } catch (SQLException e) {
            discardConnection();
            throw new WarehouseException("cells " + cells(batch) + ": cannot apply a batch of " + batch.size() + " transactions to the"
                    + " DuckDB warehouse " + warehouse.path() + ": " + e.getMessage() + ". Nothing of the batch was written.", e);
        } finally {
            dataLock.unlock();
        }
    }

    /**
     * Binds every shape in the batch before the transaction starts, because creating or widening
     * a table inside the transaction that writes to it fails in DuckDB.
     */
    private Map<TableSchema, TableBinding> bind(List<Transaction> batch) {
        Map<TableSchema, TableBinding> bindings = new IdentityHashMap<>();
        for (Transaction transaction : batch) {
            for (TableSchema schema : transaction.changes().tables()) {
                if (!bindings.containsKey(schema)) {
                    bindings.put(schema, catalog.bind(transaction.cellId(), schema));
                }
            }
        }
        return bindings;
    }

    private DuckDBConnection connection() throws SQLException {
        if (connection == null) {
            connection = warehouse.session();
        }
        return connection;
    }

    private static Set<String> cells(List<Transaction> batch) {
        Set<String> cells = new LinkedHashSet<>();
        batch.forEach(transaction -> cells.add(transaction.cellId()));
        return cells;
    }

    /**
     * After a failure the connection starts afresh: DuckDB may have invalidated it, and its
     * staging tables go with it.
     */
    private void discardConnection() {
        try {
            close();
        } catch (WarehouseException ignored) {
            // the batch's own failure is what the caller needs to see
        }
    }

    @Override
    public synchronized void close() {
        staging.clear();
        changeLogIds = new ChangeLogIds();
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new WarehouseException("cannot close the DuckDB warehouse connection that applies batches: " + e.getMessage(), e);
            } finally {
                connection = null;
            }
        }
    }
}
