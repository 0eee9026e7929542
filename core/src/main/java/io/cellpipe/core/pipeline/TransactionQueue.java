package io.cellpipe.core.pipeline;

import io.cellpipe.core.model.Transaction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-over from the cells' readers to the applier, bounded in transactions, in changes,
 * and in the memory their in-memory changes take (spilled changes cost nothing there). Keeps a count
 * of each cell's transactions not yet applied or dropped.
 */
final class TransactionQueue {
    private final int maxTransactions;
    private final long maxBytes;
    private final long maxChanges;
    private final ArrayDeque<Transaction> queue = new ArrayDeque<>();
    private final Map<String, AtomicLong> pendingByCell = new ConcurrentHashMap<>();
    /** Bumped when a cell's queued work is dropped; a reader of an older epoch can no longer hand over. Guarded by lock. */
    private final Map<String, Long> epochs = new java.util.HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private long bytes;
    private long changes;

    TransactionQueue(int maxTransactions, long maxBytes, long maxChanges) {
        this.maxTransactions = maxTransactions;
        this.maxBytes = maxBytes;
        this.maxChanges = maxChanges;
    }

    /** The cell's current epoch; a reader takes it when it starts. */
    long epoch(String cellId) {
        lock.lock();
        try {
            return epochs.getOrDefault(cellId, 0L);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for room; an empty queue always takes one, however large.
     * Refuses a reader of an older epoch: its cell's queued work was dropped, and a transaction it
     * handed over now would be applied ahead of the ones dropped before it.
     */
    boolean offer(Transaction transaction, long epoch, long timeoutMillis) throws InterruptedException {
        long size = transaction.changes().memoryBytes();
        long count = transaction.changes().size();
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (!queue.isEmpty() && (queue.size() >= maxTransactions || bytes + size > maxBytes || changes + count > maxChanges)) {
                if (nanos <= 0 || epochs.getOrDefault(transaction.cellId(), 0L) != epoch) {
                    return false;
                }
                nanos = notFull.awaitNanos(nanos);
            }
            if (epochs.getOrDefault(transaction.cellId(), 0L) != epoch) {
                return false;
            }
            queue.addLast(transaction);
            bytes += size;
            changes += count;
            pending(transaction.cellId()).incrementAndGet();
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    Transaction poll(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeoutNanos;
            while (queue.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            Transaction transaction = queue.pollFirst();
            bytes -= transaction.changes().memoryBytes();
            changes -= transaction.changes().size();
            notFull.signalAll();
            return transaction;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes a cell's queued transactions and moves it to a new epoch, in one step (its reader
     * restarts from the destination checkpoint).
     */
    List<Transaction> removeCell(String cellId) {
        lock.lock();
        try {
            epochs.merge(cellId, 1L, Long::sum);
            List<Transaction> removed = new ArrayList<>();
            queue.removeIf(transaction -> {
                if (transaction.cellId().equals(cellId)) {
                    removed.add(transaction);
                    bytes -= transaction.changes().memoryBytes();
                    changes -= transaction.changes().size();
                    return true;
                }
                return false;
            });
            notFull.signalAll();
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** A polled transaction was applied, skipped or dropped. */
    void done(Transaction transaction) {
        pending(transaction.cellId()).decrementAndGet();
    }

    /** Transactions of the cell handed over and not yet applied or dropped. */
    long pendingCount(String cellId) {
        return pending(cellId).get();
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private AtomicLong pending(String cellId) {
        return pendingByCell.computeIfAbsent(cellId, id -> new AtomicLong());
    }
}
