package io.cellpipe.duckdb;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import org.duckdb.DuckDBConnection;

/**
 * Copies a cell's tables into the warehouse. Each load runs on its own connection in its own
 * transaction, so several threads load at once: DuckDB commits concurrent appends to one table
 * from separate connections without conflict.
 */
final class SnapshotLoader {
    private final Warehouse warehouse;
    private final WarehouseCatalog catalog;
    private final ColumnFills fills;
    /** Tables whose rows had a value {@link DirectSnapshotAppend} does not read: staged from then on. */
    private final Set<TableId> staged = ConcurrentHashMap.newKeySet();
    /** Tables of cells with a binary value {@link BinaryTupleReader} does not read: copied as text from then on. */
    private final Set<ChunkLoad.CellTable> binaryRefused = ConcurrentHashMap.newKeySet();

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
        if (rows.isEmpty()) {
            catalog.bind(cellId, schema);
            return;
        }
        try (ChunkLoad load = open(cellId, schema)) {
            load.add(rows);
            load.commit();
        }
    }

    /** A load of many rows in one DuckDB transaction, used by the calling thread until it commits or closes. */
    ChunkLoad open(String cellId, TableSchema schema) {
        return ChunkLoad.open(warehouse, catalog, cellId, schema, staged, binaryRefused);
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
