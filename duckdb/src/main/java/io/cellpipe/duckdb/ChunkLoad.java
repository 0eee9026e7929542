package io.cellpipe.duckdb;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.Operation;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.spi.SnapshotLoad;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot rows of one table of one cell in one DuckDB transaction on a connection of its own,
 * committed together. Large transactions are what makes DuckDB write rows once: from a full row
 * group on, it writes appended rows straight into the database file, compressed, where rows
 * committed in small transactions go through its write-ahead log and are compressed again by a
 * later checkpoint. Rows go straight into the table ({@link DirectSnapshotAppend}) while Java
 * reads their values, and are staged and cast by DuckDB from the first value it does not. Holds
 * the data lock's shared side from open to commit or close, so the same thread must end it.
 */
final class ChunkLoad implements SnapshotLoad {
    private static final Logger log = LoggerFactory.getLogger(ChunkLoad.class);

    private final Warehouse warehouse;
    private final String cellId;
    private final TableSchema schema;
    private final TableBinding binding;
    private final WarehouseTable table;
    private final Lock dataLock;
    private final DuckDBConnection connection;
    private final Set<TableId> staged;
    private final CommitStamp stamp;
    private final long uploadedMicros;
    private DirectSnapshotAppend direct;
    private DuckDBAppender appender;
    private StagingTable staging;
    private long rows;
    private boolean ended;

    private ChunkLoad(Warehouse warehouse, String cellId, TableSchema schema, TableBinding binding, WarehouseTable table, Lock dataLock,
            DuckDBConnection connection, Set<TableId> staged, long uploadedMicros) {
        this.warehouse = warehouse;
        this.cellId = cellId;
        this.schema = schema;
        this.binding = binding;
        this.table = table;
        this.dataLock = dataLock;
        this.connection = connection;
        this.staged = staged;
        this.stamp = CommitStamp.snapshot(cellId);
        this.uploadedMicros = uploadedMicros;
        this.direct = staged.contains(table.id()) ? null : DirectSnapshotAppend.of(table).orElse(null);
    }

    /** @param staged tables whose rows are staged, shared by every load; a load that has to stage adds its table */
    static ChunkLoad open(Warehouse warehouse, WarehouseCatalog catalog, String cellId, TableSchema schema, Set<TableId> staged) {
        // binding may change the table, which DuckDB refuses inside a transaction writing to it, and takes the lock's other side
        TableBinding binding = catalog.bind(cellId, schema);
        Lock dataLock = catalog.dataLock();
        dataLock.lock();
        DuckDBConnection connection = null;
        try {
            connection = warehouse.session();
            WarehouseTable table = catalog.table(schema.id()).orElseThrow();
            SqlTransaction.execute(connection, "BEGIN TRANSACTION");
            return new ChunkLoad(warehouse, cellId, schema, binding, table, dataLock, connection, staged,
                    SqlTransaction.startMicros(connection));
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection, e);
            dataLock.unlock();
            if (e instanceof SQLException sql) {
                throw failure("begin loading snapshot rows of", sql, warehouse, cellId, schema);
            }
            throw (RuntimeException) e;
        }
    }

    /** Whether rows added now go straight into the table (false once a value sent them to staging, or for a table that never can). */
    boolean appendsDirectly() {
        return direct != null;
    }

    @Override
    public void add(List<RowImage> images) {
        if (ended) {
            throw new IllegalStateException("rows added to a snapshot load that has ended; this is a bug in cellpipe");
        }
        try {
            int appended = 0;
            if (direct != null) {
                if (appender == null) {
                    appender = connection.createAppender(table.id().schema(), table.id().name());
                }
                appended = direct.append(appender, cellId, binding, images, stamp, uploadedMicros);
                if (appended < images.size()) {
                    log.debug("{}: {} has a value only DuckDB's cast reads; its snapshot rows are staged and cast from now on", cellId,
                            table.id());
                    direct = null;
                    staged.add(table.id());
                }
            }
            if (appended < images.size()) {
                stage(images.subList(appended, images.size()));
            }
            rows += images.size();
        } catch (SQLException e) {
            throw failure("load " + images.size() + " snapshot rows of", e, warehouse, cellId, schema);
        }
    }

    /** The text staged and cast into the table by DuckDB, in this load's transaction. */
    private void stage(List<RowImage> images) throws SQLException {
        if (appender != null) {
            appender.close();
            appender = null;
        }
        if (staging == null) {
            staging = new StagingTable("cellpipe_snapshot");
            staging.prepare(connection, table.width());
        }
        AppendBuffer buffer = new AppendBuffer(connection, table, staging);
        try {
            for (RowImage image : images) {
                buffer.add(new Change(schema, Operation.READ, null, image), binding, stamp);
            }
        } catch (IllegalArgumentException e) {
            throw WriteFailure.unreadableValue(e, schema.id(), cellId);
        }
        buffer.flush();
    }

    @Override
    public void commit() {
        if (ended) {
            throw new IllegalStateException("a snapshot load committed after it ended; this is a bug in cellpipe");
        }
        try {
            if (appender != null) {
                appender.close();
                appender = null;
            }
            SqlTransaction.execute(connection, "COMMIT");
            ended = true;
        } catch (SQLException e) {
            throw failure("commit " + rows + " snapshot rows of", e, warehouse, cellId, schema);
        } finally {
            if (ended) {
                release(null);
            }
        }
    }

    @Override
    public void close() {
        if (ended) {
            return;
        }
        ended = true;
        WarehouseException failure = null;
        try {
            if (appender != null) {
                appender.close();
            }
        } catch (SQLException e) {
            // the rows are being discarded; only the rollback matters
        }
        try {
            SqlTransaction.execute(connection, "ROLLBACK");
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                failure = failure("discard the uncommitted snapshot rows of", e, warehouse, cellId, schema);
            }
        }
        release(failure);
    }

    private void release(WarehouseException failure) {
        closeQuietly(connection, failure);
        dataLock.unlock();
        if (failure != null) {
            throw failure;
        }
    }

    private static void closeQuietly(DuckDBConnection connection, Throwable failure) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }

    private static WarehouseException failure(String what, SQLException e, Warehouse warehouse, String cellId, TableSchema schema) {
        return new WarehouseException(cellId + ": cannot " + what + " " + schema.id() + " into the DuckDB warehouse " + warehouse.path()
                + ": " + e.getMessage(), e);
    }
}
