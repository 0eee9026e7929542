package io.cellpipe.duckdb;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.Operation;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.model.Transaction;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * Writes one batch inside the transaction its caller opened: rows per table (coalesced), the change
 * log, then each cell's checkpoint. Lives for one batch.
 */
final class BatchWrite {
    /** Rows buffered per table before an early flush, bounding memory for huge batches. */
    static final int FLUSH_ROWS = 20_000;

    private final DuckDBConnection connection;
    private final DuckDbOptions options;
    private final Map<TableSchema, TableBinding> bindings;
    private final Map<TableId, WarehouseTable> tables;
    private final Map<TableId, StagingTable> staging;
    private final Map<TableId, TableBuffer> buffers = new LinkedHashMap<>();
    private final Map<String, CommitStamp> lastPerCell = new LinkedHashMap<>();
    private final ColumnFills fills;
    private final ChangeLogIds changeLogIds;
    /** Columns filled by this batch, as cell, table, column; published to {@link ColumnFills} after the commit. */
    private final Set<List<String>> filled = new LinkedHashSet<>();

    /**
     * @param bindings each change's shape, by identity
     * @param tables the warehouse tables as they are now (under the data lock), by id
     * @param staging each table's prepared staging table on {@code connection}
     * @param changeLogIds the change log's numbers, which outlive the batch
     */
    BatchWrite(DuckDBConnection connection, DuckDbOptions options, Map<TableSchema, TableBinding> bindings,
            Map<TableId, WarehouseTable> tables, Map<TableId, StagingTable> staging, ColumnFills fills, ChangeLogIds changeLogIds) {
        this.fills = fills;
        this.changeLogIds = changeLogIds;
        this.connection = connection;
        this.options = options;
        this.bindings = bindings;
        this.tables = tables;
        this.staging = staging;
    }

    void write(List<Transaction> batch) throws SQLException {
        try (ChangeLogWriter log = options.changeLog()
                ? ChangeLogWriter.open(connection, changeLogIds, SqlTransaction.startMicros(connection)) : null) {
            for (Transaction transaction : batch) {
                CommitStamp stamp = CommitStamp.of(transaction);
                long seq = 0;
                Iterator<Change> changes = transaction.changes().iterator();
                while (changes.hasNext()) {
                    Change change = changes.next();
                    TableBinding binding = bindings.get(change.table());
                    if (log != null) {
                        log.append(stamp, seq, change, binding);
                    }
                    seq++;
                    if (change.op() == Operation.TRUNCATE) {
                        truncate(binding, stamp);
                    } else {
                        add(change, binding, stamp);
                    }
                }
                if (transaction.resync() != null) {
                    resyncChunkDone(transaction, stamp);
                }
                lastPerCell.put(transaction.cellId(), stamp);
            }
            for (TableBuffer buffer : buffers.values()) {
                buffer.flush();
            }
        }
        Checkpoints.advance(connection, lastPerCell.values());
    }

    /** A resync chunk's rows are written before its progress, and before the deletions its last chunk finds. */
    private void resyncChunkDone(Transaction transaction, CommitStamp stamp) throws SQLException {
        TableId id = transaction.resync().table().id();
        TableBuffer buffer = buffers.get(id);
        if (buffer != null) {
            buffer.flush();
        }
        Resyncs.advance(connection, transaction.resync(), stamp, tables.get(id), options.hardDeletes(),
                options.changeLog() ? changeLogIds : null);
    }

    /** After the batch's transaction committed. */
    void committed() {
        for (List<String> fill : filled) {
            fills.committed(fill.get(0), fill.get(1), List.of(fill.get(2)));
        }
    }

    private void add(Change change, TableBinding binding, CommitStamp stamp) throws SQLException {
        TableId id = binding.table().id();
        fillNewColumns(change.table(), id, stamp.cellId());
        TableBuffer buffer = buffers.get(id);
        if (buffer == null || !buffer.accepts(binding)) {
            if (buffer != null) {
                buffer.flush();
            }
            buffer = newBuffer(binding);
            buffers.put(id, buffer);
        }
        try {
            buffer.add(change, binding, stamp);
        } catch (IllegalArgumentException e) {
            throw WriteFailure.unreadableValue(e, id, stamp.cellId());
        }
        if (buffer.size() >= FLUSH_ROWS) {
            buffer.flush();
        }
    }

    /** Rows buffered before a column appeared are older than it, so they are written first, then filled. */
    private void fillNewColumns(TableSchema schema, TableId id, String cellId) throws SQLException {
        for (Column column : fills.unaccounted(cellId, schema)) {
            List<String> fill = List.of(cellId, id.qualified(), column.name());
            if (filled.add(fill)) {
                TableBuffer buffer = buffers.get(id);
                if (buffer != null && column.missingValue() != null) {
                    buffer.flush();
                }
                try {
                    fills.fill(connection, cellId, schema, column, tables.get(id));
                } catch (SQLException e) {
                    throw WriteFailure.of(e, id, cellId, "fill the default of added column " + column.name() + " in");
                }
            }
        }
    }

    private TableBuffer newBuffer(TableBinding binding) {
        WarehouseTable table = tables.get(binding.table().id());
        StagingTable stagingTable = staging.get(table.id());
        return binding.hasKey()
                ? new UpsertBuffer(connection, table, stagingTable, binding.keyPositions(), options.hardDeletes())
                : new AppendBuffer(connection, table, stagingTable);
    }

    /** Everything the batch did to the table before the truncate is written first, then truncated with the rest. */
    private void truncate(TableBinding binding, CommitStamp stamp) throws SQLException {
        WarehouseTable table = tables.get(binding.table().id());
        TableBuffer buffer = buffers.get(table.id());
        if (buffer != null) {
            buffer.flush();
        }
        String sql = new TableStatements(table, staging.get(table.id()).name(), new int[0]).truncate(options.hardDeletes(), !binding.hasKey());
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int parameter = 1;
            if (!options.hardDeletes()) {
                statement.setString(parameter++, stamp.lsnText());
                statement.setString(parameter++, Long.toUnsignedString(stamp.lsn().value()));
                statement.setLong(parameter++, stamp.commitMicros());
            }
            statement.setString(parameter, stamp.cellId());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw WriteFailure.of(e, table.id(), stamp.cellId(), "truncate");
        }
    }
}
