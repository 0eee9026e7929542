package io.cellpipe.duckdb;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.cluster.CrossCellQueries;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.model.Transaction;
import io.cellpipe.core.privacy.KeyFingerprint;
import io.cellpipe.core.spi.CellCheckpoint;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.Resync;
import io.cellpipe.core.spi.SnapshotLoad;
import io.cellpipe.core.verify.KeyBuckets;
import io.cellpipe.core.verify.RangeChecksum;
import io.cellpipe.core.verify.RangeChecksums;
import io.cellpipe.core.verify.VerifyRow;
import java.util.Optional;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.duckdb.DuckDBConnection;

/**
 * An embedded DuckDB warehouse. Per source table it keeps a current-state table (schema and name
 * as at the source, keyed by {@code _cell_id} plus the key columns) and, in schema
 * {@code _cellpipe}, the change log, the checkpoints and the stopped tables. A batch's rows, change
 * log and checkpoints commit in one DuckDB transaction.
 *
 * <p>Thread-safe: {@link #apply} runs one batch at a time; snapshot loads run in parallel, each on
 * its own connection; reads ({@link #checkpoints}, {@link #scan}) use their own connections.
 */
public final class DuckDbDestination implements Destination, RangeChecksums {
    private final DuckDbOptions options;
    private final Warehouse warehouse;
    private final WarehouseCatalog catalog;
    private final BatchApplier applier;
    private final SnapshotLoader snapshots;
    private final ColumnFills fills;
    private final DuckDbCrossCellQueries crossCell;
    private final WarehouseChecksums checksums;
    private final ChangeLogRetention retention;

    /** Opens (or creates) the warehouse file and cellpipe's tables in it. */
    public DuckDbDestination(DuckDbOptions options) {
        this.options = requireNonNull(options, "options is null");
        this.warehouse = Warehouse.open(options.path(), options.memoryLimit(), options.threads());
        try {
            ControlTables.create(warehouse);
            this.catalog = WarehouseCatalog.load(warehouse);
            this.fills = loadFills(warehouse);
        } catch (RuntimeException e) {
            warehouse.close();
            throw e;
        }
        this.applier = new BatchApplier(warehouse, catalog, fills, options);
        this.snapshots = new SnapshotLoader(warehouse, catalog, fills);
        this.checksums = new WarehouseChecksums(warehouse, catalog);
        this.crossCell = new DuckDbCrossCellQueries(warehouse, catalog);
        this.retention = options.changeLogRetention() == null ? null : new ChangeLogRetention(warehouse, catalog, options.changeLogRetention());
    }

    @Override
    public Optional<CrossCellQueries> crossCellQueries() {
        return Optional.of(crossCell);
    }

    /** Removes change log entries loaded before {@code cutoff} now (retention also does so periodically); returns how many. */
    public long pruneChangeLog(Instant cutoff) {
        return ChangeLogRetention.prune(warehouse, catalog, cutoff);
    }

    private static ColumnFills loadFills(Warehouse warehouse) {
        try (DuckDBConnection connection = warehouse.session()) {
            return ColumnFills.load(connection);
        } catch (SQLException e) {
            throw new WarehouseException("cannot read " + ColumnFills.TABLE + " of the DuckDB warehouse " + warehouse.path() + ": "
                    + e.getMessage(), e);
        }
    }

    public DuckDbOptions options() {
        return options;
    }

    @Override
    public Map<String, CellCheckpoint> checkpoints() {
        try (DuckDBConnection connection = warehouse.session()) {
            return Checkpoints.read(connection);
        } catch (SQLException e) {
            throw new WarehouseException("cannot read the checkpoints of the DuckDB warehouse " + warehouse.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * @throws IncompatibleSchemaException if a change's shape does not fit its warehouse table; nothing was written
     * @throws io.cellpipe.core.spi.TableFailureException if a value of one cell's table cannot be stored; nothing was written
     * @throws WarehouseException if DuckDB fails otherwise; nothing was written
     */
    @Override
    public void apply(List<Transaction> batch) {
        applier.apply(batch);
    }

    @Override
    public void beginSnapshot(String cellId, List<TableSchema> tables) {
        snapshots.begin(cellId, tables);
    }

    @Override
    public void loadSnapshotRows(String cellId, TableSchema table, List<RowImage> rows) {
        snapshots.load(cellId, table, rows);
    }

    /** Rows written straight into the table where their values allow, committed as one DuckDB transaction. */
    @Override
    public SnapshotLoad openSnapshotLoad(String cellId, TableSchema table) {
        return snapshots.open(cellId, table);
    }

    @Override
    public void completeSnapshot(String cellId, Lsn consistentPoint, Instant snapshotTime) {
        snapshots.complete(cellId, consistentPoint, snapshotTime);
    }

    @Override
    public void recordTableStopped(String cellId, TableId table, String reason) {
        try (DuckDBConnection connection = warehouse.session()) {
            StoppedTables.record(connection, cellId, table.qualified(), reason);
        } catch (SQLException e) {
            throw new WarehouseException(cellId + ": cannot record that table " + table + " stopped in the DuckDB warehouse "
                    + warehouse.path() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Map<String, String>> stoppedTables() {
        try (DuckDBConnection connection = warehouse.session()) {
            return StoppedTables.read(connection);
        } catch (SQLException e) {
            throw new WarehouseException("cannot read the stopped tables of the DuckDB warehouse " + warehouse.path() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, KeyFingerprint> hashKeys() {
        try (DuckDBConnection connection = warehouse.session()) {
            return PrivacyKeys.read(connection);
        } catch (SQLException e) {
            throw new WarehouseException("cannot read " + PrivacyKeys.TABLE + " of the DuckDB warehouse " + warehouse.path() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void requestResync(Resync request) {
        try (DuckDBConnection connection = warehouse.session()) {
            Resyncs.request(connection, request);
        } catch (SQLException e) {
            throw new WarehouseException(request.cellId() + ": cannot record a resync request in the DuckDB warehouse " + warehouse.path()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean recordResyncFailure(String id, String reason) {
        try (DuckDBConnection connection = warehouse.session()) {
            return Resyncs.recordFailure(connection, id, reason);
        } catch (SQLException e) {
            throw new WarehouseException("cannot record a failed attempt of resync " + id + " in the DuckDB warehouse " + warehouse.path()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Resync> resyncs() {
        try (DuckDBConnection connection = warehouse.session()) {
            return Resyncs.read(connection);
        } catch (SQLException e) {
            throw new WarehouseException("cannot read the resyncs of the DuckDB warehouse " + warehouse.path() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void finishResync(String id, Resync.State state, String detail) {
        try (DuckDBConnection connection = warehouse.session()) {
            Resyncs.finish(connection, id, state, detail);
        } catch (SQLException e) {
            throw new WarehouseException("cannot record the end of resync " + id + " in the DuckDB warehouse " + warehouse.path() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void recordHashKeys(List<KeyFingerprint> keys) {
        try (DuckDBConnection connection = warehouse.session()) {
            PrivacyKeys.record(connection, keys);
        } catch (SQLException e) {
            throw new WarehouseException("cannot record the hash key fingerprints in " + PrivacyKeys.TABLE + " of the DuckDB warehouse "
                    + warehouse.path() + ": " + e.getMessage(), e);
        }
    }

    /** The returned iterator is {@link AutoCloseable}; close it if it is not read to the end. */
    @Override
    public Iterator<VerifyRow> scan(String cellId, TableSchema table) {
        return WarehouseScan.open(warehouse, catalog, cellId, table);
    }

    @Override
    public Optional<long[]> keyBounds(String cellId, TableSchema table) {
        return checksums.keyBounds(cellId, table);
    }

    @Override
    public Map<Long, RangeChecksum> checksums(String cellId, TableSchema table, KeyBuckets buckets) {
        return checksums.checksums(cellId, table, buckets);
    }

    @Override
    public Iterator<VerifyRow> scan(String cellId, TableSchema table, String predicate) {
        return WarehouseScan.open(warehouse, catalog, cellId, table, predicate);
    }

    @Override
    public void close() {
        if (retention != null) {
            retention.close();
        }
        try {
            applier.close();
        } finally {
            warehouse.close();
        }
    }
}
