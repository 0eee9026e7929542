package io.cellpipe.core.pipeline;

import io.cellpipe.core.config.CaptureConfig;
import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.ChangeBuffer;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.ResyncProgress;
import io.cellpipe.core.model.Transaction;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.TableFailureException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: takes transactions of all cells from the queue, groups them into batches,
 * applies each batch atomically, then moves each cell's durable LSN (which its reader
 * acknowledges to PostgreSQL). A transaction at or below a cell's durable LSN is a replay and is
 * skipped. A failing table is stopped alone; a failing cell is dropped from the batch and its
 * reader restarted from the checkpoint; other cells go on.
 */
final class BatchApplier implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(BatchApplier.class);

    private final Destination destination;
    private final TransactionQueue queue;
    private final CaptureConfig capture;
    private final Function<String, CellRunner> runners;
    private final BatchListener listener;
    private volatile boolean running = true;
    private volatile long batches;
    /** Transactions of the current batch already released, so that a failure path never releases one twice. */
    private final Set<Transaction> released = Collections.newSetFromMap(new IdentityHashMap<>());

    BatchApplier(Destination destination, TransactionQueue queue, CaptureConfig capture, Function<String, CellRunner> runners,
            BatchListener listener) {
        this.listener = listener;
        this.destination = destination;
        this.queue = queue;
        this.capture = capture;
        this.runners = runners;
    }

    /** Stops once the queue is empty. */
    void finish() {
        running = false;
    }

    long batches() {
        return batches;
    }

    @Override
    public void run() {
        try {
            while (running || !queue.isEmpty()) {
                released.clear();
                List<Transaction> batch = nextBatch();
                if (batch.isEmpty()) {
                    continue;
                }
                try {
                    applyIsolating(batch);
                } catch (RuntimeException e) {
                    // The applier must not die: its cells would look alive while nothing loads.
                    for (String cellId : byCell(batch).keySet()) {
                        failCell(cellId, byCell(batch).get(cellId), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<Transaction> nextBatch() throws InterruptedException {
        List<Transaction> batch = new ArrayList<>();
        Map<String, Lsn> batched = new HashMap<>();
        Transaction first = queue.poll(100_000_000L);
        if (first == null) {
            return batch;
        }
        long changes = add(batch, batched, first);
        long deadline = System.nanoTime() + capture.batchMaxDelay().toNanos();
        while (changes < capture.batchMaxChanges()) {
            Transaction next = queue.poll(deadline - System.nanoTime());
            if (next == null) {
                break;
            }
            changes += add(batch, batched, next);
        }
        return batch;
    }

    /**
     * Adds a transaction unless it is a replay: at or below what is applied, or what this batch
     * already holds (a restarted reader re-sends from the checkpoint while older copies may still
     * be queued). Returns its change count.
     */
    private long add(List<Transaction> batch, Map<String, Lsn> batched, Transaction transaction) {
        CellRunner runner = runners.apply(transaction.cellId());
        Lsn highest = runner == null ? null : Lsn.max(runner.status().appliedLsn(), batched.getOrDefault(transaction.cellId(), Lsn.ZERO));
        if (runner == null || !transaction.commitLsn().isAfter(highest)) {
            discard(transaction);
            return 0;
        }
        batched.put(transaction.cellId(), transaction.commitLsn());
        Transaction kept = runner.status().hasStoppedTables() ? withoutStoppedTables(transaction, runner.status()) : transaction;
        batch.add(kept);
        return kept.changes().size();
    }

    private void applyIsolating(List<Transaction> batch) {
        while (!batch.isEmpty()) {
            try {
                long started = System.nanoTime();
                destination.apply(batch);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                long changes = batch.stream().mapToLong(transaction -> transaction.changes().size()).sum();
                committed(batch);
                notifyListener(took, batch.size(), changes);
                return;
            } catch (TableFailureException e) {
                CellRunner runner = runners.apply(e.cellId());
                if (runner == null || runner.status().isStopped(e.table().qualified())) {
                    // removed meanwhile, or filtering did not help: drop the cell's part, it restarts from its checkpoint
                    failCell(e.cellId(), byCell(batch).getOrDefault(e.cellId(), List.of()), e);
                    batch = batch.stream().filter(transaction -> !transaction.cellId().equals(e.cellId())).toList();
                    continue;
                }
                stopTable(e);
                batch = refilter(batch);
            } catch (RuntimeException e) {
                Map<String, List<Transaction>> byCell = byCell(batch);
                if (byCell.size() == 1) {
                    failCell(byCell.keySet().iterator().next(), batch, e);
                    return;
                }
                log.warn("a batch of {} cells failed ({}); applying each cell alone to find the failing one", byCell.size(), e.getMessage());
                for (List<Transaction> cellBatch : byCell.values()) {
                    applyIsolating(cellBatch);
                }
                return;
            }
        }
    }

    private void committed(List<Transaction> batch) {
        batches++;
        Instant now = Instant.now();
        for (Transaction transaction : batch) {
            CellRunner runner = runners.apply(transaction.cellId());
            if (runner != null && transaction.isPosition()) {
                runner.status().appliedLsn(transaction.commitLsn());
            } else if (runner != null) {
                runner.status().applied(transaction.commitLsn(), transaction.commitTime(), transaction.changes().size(), now);
                transaction.changes().operationCounts().forEach((table, counts) ->
                        counts.forEach((op, count) -> runner.status().tableApplied(table.qualified(), op, count)));
            }
            discard(transaction);
        }
    }

    private void notifyListener(Duration took, int transactions, long changes) {
        try {
            listener.committed(took, transactions, changes);
        } catch (RuntimeException e) {
            log.warn("batch listener failed: {}", e.toString());
        }
    }

    private void stopTable(TableFailureException e) {
        log.error("{}: table {} stopped; the cell's other tables keep loading. {}", e.cellId(), e.table(), e.getMessage());
        CellRunner runner = runners.apply(e.cellId());
        if (runner != null) {
            runner.status().tableStopped(e.table().qualified(), e.getMessage());
        }
        destination.recordTableStopped(e.cellId(), e.table(), e.getMessage());
    }

    private List<Transaction> refilter(List<Transaction> batch) {
        List<Transaction> kept = new ArrayList<>();
        for (Transaction transaction : batch) {
            CellRunner runner = runners.apply(transaction.cellId());
            if (runner != null && runner.status().hasStoppedTables()) {
                kept.add(withoutStoppedTables(transaction, runner.status()));
            } else {
                kept.add(transaction);
            }
        }
        return kept;
    }

    private Transaction withoutStoppedTables(Transaction transaction, CellStatus status) {
        ResyncProgress resync = transaction.resync();
        if (resync != null && status.isStopped(resync.table().id().qualified())) {
            // A stopped table's chunk rows are dropped below; its last chunk would then mark every row deleted.
            String reason = "table " + resync.table().id() + " stopped during the resync; copy the cell again once the cause is fixed";
            destination.finishResync(resync.resyncId(), io.cellpipe.core.spi.Resync.State.FAILED, reason);
            log.warn("{}: resync {} failed: {}", transaction.cellId(), resync.resyncId(), reason);
            transaction = new Transaction(transaction.cellId(), transaction.xid(), transaction.commitLsn(), transaction.commitTime(),
                    transaction.changes(), null);
        }
        if (transaction.changes().tables().stream().noneMatch(table -> status.isStopped(table.id().qualified()))) {
            return transaction;
        }
        ChangeBuffer kept = new ChangeBuffer(capture.spillDirectory(), capture.transactionMemory());
        boolean dropped = false;
        Iterator<Change> changes = transaction.changes().iterator();
        while (changes.hasNext()) {
            Change change = changes.next();
            if (status.isStopped(change.table().id().qualified())) {
                dropped = true;
            } else {
                kept.add(change);
            }
        }
        if (!dropped) {
            kept.close();
            return transaction;
        }
        transaction.changes().close();
        return new Transaction(transaction.cellId(), transaction.xid(), transaction.commitLsn(), transaction.commitTime(), kept,
                transaction.resync());
    }

    private void failCell(String cellId, List<Transaction> batch, RuntimeException e) {
        log.error("{}: applying to the destination failed: {}. Dropping its queued changes; its capture restarts from the"
                + " destination checkpoint, so nothing is lost", cellId, e.getMessage(), e);
        CellRunner runner = runners.apply(cellId);
        if (runner != null) {
            runner.status().failed("destination: " + e.getMessage());
            runner.requestRestart();
        }
        // a resync chunk that cannot be applied would be tried again after every restart, for ever
        batch.stream().map(Transaction::resync).filter(java.util.Objects::nonNull).map(ResyncProgress::resyncId).distinct()
                .forEach(id -> recordResyncFailure(cellId, id, "applying a chunk failed: " + e.getMessage()));
        batch.forEach(this::discard);
        queue.removeCell(cellId).forEach(this::discard);
    }

    private void recordResyncFailure(String cellId, String id, String reason) {
        try {
            if (destination.recordResyncFailure(id, reason)) {
                log.error("{}: resync {} given up after {} failed attempts: {}", cellId, id, io.cellpipe.core.spi.Resync.MAX_FAILED_ATTEMPTS,
                        reason);
            }
        } catch (RuntimeException failure) {
            log.warn("{}: cannot record the failed attempt of resync {}: {}", cellId, id, failure.getMessage());
        }
    }

    private void discard(Transaction transaction) {
        if (!released.add(transaction)) {
            return;
        }
        try {
            transaction.close();
        } catch (RuntimeException e) {
            log.warn("{}: could not release transaction {} (a spill file may remain): {}", transaction.cellId(), transaction.commitLsn(),
                    e.getMessage());
        } finally {
            queue.done(transaction);
        }
    }

    private static Map<String, List<Transaction>> byCell(List<Transaction> batch) {
        Map<String, List<Transaction>> byCell = new LinkedHashMap<>();
        for (Transaction transaction : batch) {
            byCell.computeIfAbsent(transaction.cellId(), id -> new ArrayList<>()).add(transaction);
        }
        return byCell;
    }
}
