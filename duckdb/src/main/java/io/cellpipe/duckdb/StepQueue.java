package io.cellpipe.duckdb;

import java.util.ArrayDeque;

/**
 * Hands a batch's steps from the thread that prepares them to the thread that writes them, in
 * order. It holds about {@code rowLimit} rows at most (a larger step is taken alone), so the
 * preparing thread runs ahead by a bounded amount of memory.
 */
final class StepQueue {
    private final ArrayDeque<BatchStep> steps = new ArrayDeque<>();
    private final int rowLimit;
    private int queuedRows;
    /** Written under the lock, read without it by {@link #isClosed}. */
    private volatile boolean closed;

    StepQueue(int rowLimit) {
        if (rowLimit < 1) {
            throw new IllegalArgumentException("rowLimit must be positive, not " + rowLimit);
        }
        this.rowLimit = rowLimit;
    }

    /** Waits for room; returns false, dropping the step, once the writing side has closed the queue. */
    synchronized boolean put(BatchStep step) throws InterruptedException {
        while (!closed && queuedRows > 0 && queuedRows + step.rows() > rowLimit) {
            wait();
        }
        if (closed) {
            return false;
        }
        steps.addLast(step);
        queuedRows += step.rows();
        notifyAll();
        return true;
    }

    synchronized BatchStep take() throws InterruptedException {
        while (steps.isEmpty()) {
            wait();
        }
        BatchStep step = steps.removeFirst();
        queuedRows -= step.rows();
        notifyAll();
        return step;
    }

    boolean isClosed() {
        return closed;
    }

    /** The writing side is done, or gave up: what is queued is dropped and the preparing side stops. */
    synchronized void close() {
        closed = true;
        steps.clear();
        queuedRows = 0;
        notifyAll();
    }
}
