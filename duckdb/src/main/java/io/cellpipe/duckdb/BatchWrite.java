package io.cellpipe.duckdb;

import io.cellpipe.core.model.ResyncProgress;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.model.Transaction;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBConnection;

/**
 * Writes one batch inside the transaction its caller opened: rows per table (coalesced), the change
 * log, then each cell's checkpoint. The Java work (reading changes, encoding the change log,
 * coalescing rows) runs ahead on a thread of its own ({@link BatchPreparation}) while this thread
 * runs DuckDB's part, in the same order one thread would. Lives for one batch.
 */
final class BatchWrite {
    /**
     * Rows queued between the two threads, on top of what each holds; a table's full buffer is
     * queued alone. With one busy table, about three times {@link BatchPreparation#FLUSH_ROWS}
     * rows are held at once where one thread held one buffer; the memory phase of the benchmark
     * measures the whole process (docs/BENCHMARKS.md).
     */
    private static final int QUEUED_ROWS = BatchPreparation.FLUSH_ROWS / 2;

    private final DuckDBConnection connection;
    private final DuckDbOptions options;
    private final Map<TableSchema, TableBinding> bindings;
    private final Map<TableId, WarehouseTable> tables;
    private final Map<TableId, StagingTable> staging;
    private final ColumnFills fills;
    private final ChangeLogIds changeLogIds;
    /** Columns filled by this batch, as cell, table, column; published to {@link ColumnFills} after the commit. */
    private Set<List<String>> filled = Set.of();

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
        StepQueue queue = new StepQueue(QUEUED_ROWS);
        Thread preparing = Thread.ofPlatform().name("applier-prepare").daemon()
                .start(new BatchPreparation(batch, options, bindings, tables, staging, fills, queue));
        try {
            BatchStep.Done done = runSteps(queue);
            filled = done.filled();
            Checkpoints.advance(connection, done.lastPerCell().values());
        } finally {
            // the caller releases the batch's changes once this returns, so the other thread must be done with them
            queue.close();
            awaitEnd(preparing);
        }
    }

    private BatchStep.Done runSteps(StepQueue queue) throws SQLException {
        try (ChangeLogWriter log = options.changeLog()
                ? ChangeLogWriter.open(connection, changeLogIds, SqlTransaction.startMicros(connection)) : null) {
            while (true) {
                BatchStep step = queue.take();
                switch (step) {
                    case null -> throw new WarehouseException("preparing a batch ended without handing over its result (see the log"
                            + " for its error); nothing of the batch was written", null);
                    case BatchStep.LogRows rows -> {
                        for (ChangeLogWriter.Row row : rows.logRows()) {
                            log.append(row);
                        }
                    }
                    case BatchStep.TableRows rows -> rows.write().run(connection);
                    case BatchStep.Fill fill -> fill(fill);
                    case BatchStep.Truncate truncate -> truncate(truncate.binding(), truncate.stamp());
                    case BatchStep.ResyncChunkDone chunk -> resyncChunkDone(chunk.progress(), chunk.stamp());
                    case BatchStep.Failed failed -> throw rethrown(failed.failure());
                    case BatchStep.Done done -> {
                        return done;
                    }
                }
            }
        }
    }

    /** The preparing thread's failure, as if it had happened here. */
    private static RuntimeException rethrown(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        return new WarehouseException("preparing a batch failed: " + failure + "; nothing of the batch was written", failure);
    }

    /** Waits for the preparing thread, which stops at its next step once the queue is closed. */
    private static void awaitEnd(Thread preparing) {
        boolean interrupted = false;
        while (true) {
            try {
                preparing.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void resyncChunkDone(ResyncProgress progress, CommitStamp stamp) throws SQLException {
        Resyncs.advance(connection, progress, stamp, tables.get(progress.table().id()), options.hardDeletes(),
                options.changeLog() ? changeLogIds : null);
    }

    /** After the batch's transaction committed. */
    void committed() {
        for (List<String> fill : filled) {
            fills.committed(fill.get(0), fill.get(1), List.of(fill.get(2)));
        }
    }

    private void fill(BatchStep.Fill fill) {
        try {
            fills.fill(connection, fill.cellId(), fill.schema(), fill.column(), tables.get(fill.table()));
        } catch (SQLException e) {
            throw WriteFailure.of(e, fill.table(), fill.cellId(), "fill the default of added column " + fill.column().name() + " in");
        }
    }

    /** Everything the batch did to the table before the truncate was written by the steps before this one. */
    private void truncate(TableBinding binding, CommitStamp stamp) throws SQLException {
        WarehouseTable table = tables.get(binding.table().id());
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
