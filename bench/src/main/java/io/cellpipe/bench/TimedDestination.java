package io.cellpipe.bench;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.model.Transaction;
import io.cellpipe.core.privacy.KeyFingerprint;
import io.cellpipe.core.spi.CellCheckpoint;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.SnapshotLoad;
import io.cellpipe.core.verify.VerifyRow;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Wraps the real destination and, while recording, notes for every transaction of a batch how long after its commit
 * on the cell (PostgreSQL's commit timestamp, same machine and clock) the destination's {@code apply} returned, i.e.
 * the warehouse transaction holding it had committed. Instrumentation of the benchmark only; nothing else changes.
 */
final class TimedDestination implements Destination {
    private final Destination delegate;
    private final LatencyRecorder recorder;

    TimedDestination(Destination delegate, LatencyRecorder recorder) {
        this.delegate = delegate;
        this.recorder = recorder;
    }

    @Override
    public void apply(List<Transaction> batch) {
        delegate.apply(batch);
        Instant committed = Instant.now();
        for (Transaction transaction : batch) {
            recorder.record(Duration.between(transaction.commitTime(), committed).toNanos() / 1_000);
        }
    }

    @Override
    public Map<String, CellCheckpoint> checkpoints() {
        return delegate.checkpoints();
    }

    @Override
    public void beginSnapshot(String cellId, List<TableSchema> tables) {
        delegate.beginSnapshot(cellId, tables);
    }

    @Override
    public void loadSnapshotRows(String cellId, TableSchema table, List<RowImage> rows) {
        delegate.loadSnapshotRows(cellId, table, rows);
    }

    @Override
    public SnapshotLoad openSnapshotLoad(String cellId, TableSchema table) {
        return delegate.openSnapshotLoad(cellId, table);
    }

    @Override
    public void completeSnapshot(String cellId, Lsn consistentPoint, Instant snapshotTime) {
        delegate.completeSnapshot(cellId, consistentPoint, snapshotTime);
    }

    @Override
    public void recordTableStopped(String cellId, TableId table, String reason) {
        delegate.recordTableStopped(cellId, table, reason);
    }

    @Override
    public Map<String, Map<String, String>> stoppedTables() {
        return delegate.stoppedTables();
    }

    @Override
    public Map<String, KeyFingerprint> hashKeys() {
        return delegate.hashKeys();
    }

    @Override
    public void recordHashKeys(List<KeyFingerprint> keys) {
        delegate.recordHashKeys(keys);
    }

    @Override
    public Iterator<VerifyRow> scan(String cellId, TableSchema table) {
        return delegate.scan(cellId, table);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
