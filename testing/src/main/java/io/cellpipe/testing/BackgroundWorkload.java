package io.cellpipe.testing;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link Workload} running on a thread of its own until stopped, e.g. while a test or the demo captures changes.
 * A failure ends the run and is rethrown by {@link #stop()}.
 */
public final class BackgroundWorkload implements AutoCloseable {
    private final Workload workload;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Thread thread;
    private volatile RuntimeException failure;

    BackgroundWorkload(Workload workload) {
        this.workload = workload;
        this.thread = new Thread(this::runUntilStopped, "cellpipe-workload");
        thread.setDaemon(true);
        thread.start();
    }

    /** The counts so far. */
    public WorkloadStats stats() {
        return workload.stats();
    }

    /** Whether it still runs: false once stopped or failed. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Lets the current operation finish, then returns the counts; throws the failure that ended the run, if any. */
    public WorkloadStats stop() {
        stopping.set(true);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the workload to stop", e);
        }
        if (failure != null) {
            throw failure;
        }
        return workload.stats();
    }

    @Override
    public void close() {
        stop();
    }

    private void runUntilStopped() {
        try {
            workload.runWhile(operation -> !stopping.get());
        } catch (RuntimeException e) {
            failure = e;
        }
    }
}
