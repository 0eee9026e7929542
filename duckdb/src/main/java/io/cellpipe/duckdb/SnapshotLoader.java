package io.cellpipe.duckdb;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.Operation;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a cell's tables into the warehouse. Each load runs on its own connection in its own
 * transaction, so several threads load at once: DuckDB commits concurrent appends to one table
 * from separate connections without conflict.
 */
final class SnapshotLoader {
    private static final Logger log = LoggerFactory.getLogger(SnapshotLoader.class);

    private final Warehouse warehouse;
    private final WarehouseCatalog catalog;
    private final ColumnFills fills;
    /** Tables whose rows had a value {@link DirectSnapshotAppend} does not read. */
    private final Set<TableId> staged = ConcurrentHashMap.newKeySet();

    SnapshotLoader(Warehouse warehouse, WarehouseCatalog catalog, ColumnFills fills) {
        this.warehouse = warehouse;
        this.catalog = catalog;
        this.fills = fills;
    }

    /** Creates missing tables, then forgets every row, the checkpoint and the stopped tables of the cell, atomically. */
    void begin(String cellId, List<TableSchema> tables) {
        for (TableSchema table : tables) {
            catalog.bind(cellId, table);
        }
        Lock dataLock = catalog.dataLock();
        dataLock.lock();
        try (DuckDBConnection connection = warehouse.session()) {
            SqlTransaction.run(connection, () -> {
                for (WarehouseTable table : catalog.tables()) {
                    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table.quotedName() + " WHERE _cell_id = ?")) {
                        delete.setString(1, cellId);
                        delete.executeUpdate();
                    }
                }
                Checkpoints.forget(connection, cellId);
                StoppedTables.forget(connection, cellId);
                Resyncs.supersede(connection, cellId);
                fills.recordAll(connection, cellId, tables);
                return null;
            });
            fills.replaced(cellId, tables);
        } catch (SQLException e) {
            throw new WarehouseException(cellId + ": cannot forget the cell's rows and checkpoint before its snapshot in the DuckDB"
                    + " warehouse " + warehouse.path() + ": " + e.getMessage() + ". Nothing was deleted.", e);
        } finally {
            dataLock.unlock();
        }
    }

    void load(String cellId, TableSchema schema, List<RowImage> rows) {
        TableBinding binding = catalog.bind(cellId, schema);
        if (rows.isEmpty()) {
            return;
        }
        Lock dataLock = catalog.dataLock();
        dataLock.lock();
        try (DuckDBConnection connection = warehouse.session()) {
            WarehouseTable table = catalog.table(schema.id()).orElseThrow();
            if (appendDirectly(connection, cellId, table, binding, rows)) {
                return;
            }
            StagingTable staging = new StagingTable("cellpipe_snapshot");
            staging.prepare(connection, table.width());
            AppendBuffer buffer = new AppendBuffer(connection, table, staging);
            CommitStamp stamp = CommitStamp.snapshot(cellId);
            try {
                for (RowImage row : rows) {
                    buffer.add(new Change(schema, Operation.READ, null, row), binding, stamp);
                }
            } catch (IllegalArgumentException e) {
                throw WriteFailure.unreadableValue(e, schema.id(), cellId);
            }
            SqlTransaction.run(connection, () -> {
                buffer.flush();
                return null;
            });
        } catch (SQLException e) {
            throw new WarehouseException(cellId + ": cannot load " + rows.size() + " snapshot rows of " + schema.id()
                    + " into the DuckDB warehouse " + warehouse.path() + ": " + e.getMessage(), e);
        } finally {
            dataLock.unlock();
        }
    }

    /**
     * The rows written once, straight into the table, when Java reads all their values; false
     * (nothing written) otherwise. A table with a value left to DuckDB is staged from then on, so
     * its later loads do not repeat the attempt.
     */
    private boolean appendDirectly(DuckDBConnection connection, String cellId, WarehouseTable table, TableBinding binding,
            List<RowImage> rows) throws SQLException {
        if (staged.contains(table.id())) {
            return false;
        }
        Optional<DirectSnapshotAppend> direct = DirectSnapshotAppend.of(table);
        if (direct.isEmpty()) {
            return false;
        }
        CommitStamp stamp = CommitStamp.snapshot(cellId);
        boolean written = SqlTransaction.commitIf(connection,
                () -> direct.get().appendAll(connection, cellId, binding, rows, stamp, SqlTransaction.startMicros(connection)));
        if (!written) {
            staged.add(table.id());
            log.debug("{}: {} has a value only DuckDB's cast reads; its snapshot rows are staged and cast from now on", cellId, table.id());
        }
        return written;
    }

    void complete(String cellId, Lsn consistentPoint, Instant snapshotTime) {
        try (DuckDBConnection connection = warehouse.session()) {
            Checkpoints.complete(connection, cellId, consistentPoint, snapshotTime);
        } catch (SQLException e) {
            throw new WarehouseException(cellId + ": cannot record the completed snapshot (at " + consistentPoint + ") in the DuckDB"
                    + " warehouse " + warehouse.path() + ": " + e.getMessage() + ". The cell will be copied again.", e);
        }
    }
}
