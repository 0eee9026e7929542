package io.cellpipe.duckdb;

import java.util.ArrayDeque;

/**
 * Hands a batch's steps from the thread that prepares them to the thread that writes them, in
 * order. Steps of about {@code rowLimit} rows are queued at most (a larger step is queued alone),
 * so the preparing thread runs ahead by a bounded amount of memory.
 */
final class StepQueue {
    private final ArrayDeque<BatchStep> steps = new ArrayDeque<>();
    private final int rowLimit;
    private int queuedRows;
    /** Written under the lock, read without it by {@link #isClosed}. */
    private volatile boolean closed;
    private boolean preparingEnded;

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

    /**
     * The next step; null once the preparing side ended and every step it queued was taken. An
     * interrupt does not end the wait (a batch in progress is finished, as DuckDB's own work
     * would be); the thread's interrupt status is set again on return.
     */
    synchronized BatchStep take() {
        boolean interrupted = false;
        try {
            while (steps.isEmpty()) {
                if (preparingEnded) {
                    return null;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            BatchStep step = steps.removeFirst();
            queuedRows -= step.rows();
            notifyAll();
            return step;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The preparing side will put nothing more, whether or not it got to put its last step (an
     * error may have stopped it first). Allocates nothing, so it works when memory is exhausted.
     */
    synchronized void preparingEnded() {
        preparingEnded = true;
        notifyAll();
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
