package io.cellpipe.duckdb;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.Operation;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.model.Transaction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java half of writing a batch, on a thread of its own: reads the batch's changes, encodes
 * the change log's rows, coalesces each table's rows, and puts the resulting steps on a
 * {@link StepQueue} in the order the warehouse must see them, while {@link BatchWrite} runs the
 * steps already queued on the connection, which this thread never has. Lives for one batch.
 */
final class BatchPreparation implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(BatchPreparation.class);
    /**
     * Rows buffered per table before they are handed over early, bounding memory for huge batches.
     * With one busy table about three times as many are held at once: the buffer being filled, a
     * drained buffer waiting for room in the queue, and the one being written (see {@link BatchWrite}).
     */
    static final int FLUSH_ROWS = 20_000;
    /** Change log rows handed over together. */
    private static final int LOG_ROWS = 1_000;

    private final List<Transaction> batch;
    private final DuckDbOptions options;
    private final Map<TableSchema, TableBinding> bindings;
    private final Map<TableId, WarehouseTable> tables;
    private final Map<TableId, StagingTable> staging;
    private final ColumnFills fills;
    private final StepQueue queue;
    private final Map<TableId, TableBuffer> buffers = new LinkedHashMap<>();
    private final Map<String, CommitStamp> lastPerCell = new LinkedHashMap<>();
    private final Set<List<String>> filled = new LinkedHashSet<>();
    private final JsonImage.Writer json = new JsonImage.Writer();
    private List<ChangeLogWriter.Row> logRows = new ArrayList<>();
    private TableSchema lastSchema;
    private String lastCell;

    /**
     * The arguments are {@link BatchWrite}'s. Both threads read the maps and options, which
     * nothing changes during the batch; {@code fills} changes only after the batch commits.
     */
    BatchPreparation(List<Transaction> batch, DuckDbOptions options, Map<TableSchema, TableBinding> bindings,
            Map<TableId, WarehouseTable> tables, Map<TableId, StagingTable> staging, ColumnFills fills, StepQueue queue) {
        this.batch = batch;
        this.options = options;
        this.bindings = bindings;
        this.tables = tables;
        this.staging = staging;
        this.fills = fills;
        this.queue = queue;
    }

    @Override
    public void run() {
        try {
            prepare();
            emit(new BatchStep.Done(lastPerCell, filled));
        } catch (Stopped e) {
            // the writing side stopped first; it reports why
        } catch (Throwable e) {
            // an Error too: the writing side rethrows it as it is, as if it had happened there
            try {
                queue.put(new BatchStep.Failed(e));
            } catch (Throwable again) {
                // out of memory again, or interrupted: the writing side reports that preparing ended without a result
                logIfPossible(e);
            }
        } finally {
            queue.preparingEnded();
        }
    }

    private static void logIfPossible(Throwable failure) {
        try {
            log.error("preparing a batch failed and could not hand its failure to the applier: {}", failure.toString(), failure);
        } catch (Throwable ignored) {
            // nothing more can be done; the applier fails the batch either way
        }
    }

    private void prepare() throws InterruptedException {
        for (Transaction transaction : batch) {
            CommitStamp stamp = CommitStamp.of(transaction);
            long seq = 0;
            Iterator<Change> changes = transaction.changes().iterator();
            while (changes.hasNext()) {
                if (queue.isClosed()) {
                    throw new Stopped();
                }
                Change change = changes.next();
                TableBinding binding = bindings.get(change.table());
                if (options.changeLog()) {
                    logRows.add(ChangeLogWriter.row(stamp, seq, change, binding, json));
                    if (logRows.size() >= LOG_ROWS) {
                        emitLogRows();
                    }
                }
                seq++;
                if (change.op() == Operation.TRUNCATE) {
                    // everything the batch did to the table before the truncate is written first
                    handOver(binding.table().id());
                    emit(new BatchStep.Truncate(binding, stamp));
                } else {
                    add(change, binding, stamp);
                }
            }
            if (transaction.resync() != null) {
                // a resync chunk's rows are written before its progress, and before the deletions its last chunk finds
                handOver(transaction.resync().table().id());
                emit(new BatchStep.ResyncChunkDone(transaction.resync(), stamp));
            }
            lastPerCell.put(transaction.cellId(), stamp);
        }
        for (TableBuffer buffer : buffers.values()) {
            handOver(buffer);
        }
    }

    private void add(Change change, TableBinding binding, CommitStamp stamp) throws InterruptedException {
        TableId id = binding.table().id();
        if (change.table() != lastSchema || !stamp.cellId().equals(lastCell)) {
            fillNewColumns(change.table(), id, stamp.cellId());
            lastSchema = change.table();
            lastCell = stamp.cellId();
        }
        TableBuffer buffer = buffers.get(id);
        if (buffer == null || !buffer.accepts(binding)) {
            if (buffer != null) {
                handOver(buffer);
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
            handOver(buffer);
        }
    }

    /**
     * Rows buffered before a column appeared are older than it, so they are written first, then
     * filled. Only read here: {@link ColumnFills} changes after the batch commits.
     */
    private void fillNewColumns(TableSchema schema, TableId id, String cellId) throws InterruptedException {
        for (Column column : fills.unaccounted(cellId, schema)) {
            if (filled.add(List.of(cellId, id.qualified(), column.name()))) {
                if (column.missingValue() != null) {
                    handOver(id);
                }
                emit(new BatchStep.Fill(cellId, schema, column, id));
            }
        }
    }

    private TableBuffer newBuffer(TableBinding binding) {
        WarehouseTable table = tables.get(binding.table().id());
        StagingTable stagingTable = staging.get(table.id());
        return binding.hasKey()
                ? new UpsertBuffer(table, stagingTable, binding.keyPositions(), options.hardDeletes())
                : new AppendBuffer(table, stagingTable);
    }

    private void handOver(TableId id) throws InterruptedException {
        TableBuffer buffer = buffers.get(id);
        if (buffer != null) {
            handOver(buffer);
        }
    }

    private void handOver(TableBuffer buffer) throws InterruptedException {
        TableBuffer.Write write = buffer.drain();
        if (write != null) {
            emit(new BatchStep.TableRows(write));
        }
    }

    /** Every step follows the change log rows of the changes before it, as when one thread did both. */
    private void emit(BatchStep step) throws InterruptedException {
        emitLogRows();
        put(step);
    }

    private void emitLogRows() throws InterruptedException {
        if (!logRows.isEmpty()) {
            put(new BatchStep.LogRows(logRows));
            logRows = new ArrayList<>(LOG_ROWS);
        }
    }

    private void put(BatchStep step) throws InterruptedException {
        if (!queue.put(step)) {
            throw new Stopped();
        }
    }

    /** The writing side closed the queue: stop without touching the batch again. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }
}
