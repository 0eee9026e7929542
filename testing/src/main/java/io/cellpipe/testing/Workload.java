package io.cellpipe.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;

import static java.util.Objects.requireNonNull;

/**
 * A seeded, reproducible mix of inserts, updates, deletes and multi-statement transactions on the {@link DemoSchema}
 * of one cell, plus three one-off operations at fixed operation numbers (see {@link WorkloadOptions}): a TRUNCATE, a
 * background migration and a large transaction.
 *
 * <p>Started on a freshly created schema, a seed always yields the same rows: every value, timestamps included, comes
 * from the seed and the operation number, and ids come from the tables' sequences in a fixed order. Operations run
 * one after another on the given connection, whose auto-commit the workload turns off while it runs; ids never
 * collide within a cell because they come from the sequences. The workload expects to be the only writer of the demo
 * tables while it runs. Not thread-safe: one run at a time.
 */
public final class Workload {
    private final WorkloadOptions options;
    private final WorkloadState state;
    private final OperationMix mix;
    private final BulkOperations bulk;
    private final AtomicBoolean running = new AtomicBoolean();
    /**
     * Ids of existing rows are read once, when the first run starts; later runs go on with the ids in memory, whose
     * order (not id order) the earlier picks determined, so that run(120) then run(80) writes what run(200) does.
     */
    private boolean idsLoaded;

    public Workload(Connection connection, long seed, WorkloadOptions options) {
        requireNonNull(connection, "connection is null");
        this.options = requireNonNull(options, "options is null");
        this.state = new WorkloadState(connection, seed);
        RowInserts inserts = new RowInserts(state);
        this.mix = new OperationMix(state, inserts, new RowChanges(state));
        this.bulk = new BulkOperations(state, inserts);
    }

    /** Runs this many operations (one-off ones included) and returns the counts since the workload was created. */
    public WorkloadStats run(int operations) {
        if (operations < 0) {
            throw new IllegalArgumentException("operations must not be negative: " + operations);
        }
        long end = state.operation() + operations;
        return runWhile(operation -> operation < end);
    }

    /** Runs operations for about this long (the last one may overrun it) and returns the counts since creation. */
    public WorkloadStats run(Duration duration) {
        requireNonNull(duration, "duration is null");
        long deadline = System.nanoTime() + duration.toNanos();
        return runWhile(operation -> System.nanoTime() < deadline);
    }

    /** Runs on a thread of its own until {@link BackgroundWorkload#stop()}. */
    public BackgroundWorkload startInBackground() {
        return new BackgroundWorkload(this);
    }

    /** The counts since the workload was created; may be called from any thread, also while it runs. */
    public WorkloadStats stats() {
        return state.counters.snapshot();
    }

    WorkloadStats runWhile(LongPredicate keepGoing) {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("this workload is already running");
        }
        Connection connection = state.connection;
        boolean autoCommit = true;
        try {
            autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            if (!idsLoaded) {
                state.loadIds();
                idsLoaded = true;
            }
            Throttle throttle = new Throttle(options.operationsPerSecond());
            while (keepGoing.test(state.operation()) && !Thread.currentThread().isInterrupted()) {
                throttle.awaitTurn();
                perform();
            }
        } catch (SQLException e) {
            throw new WorkloadException("workload could not prepare its connection: " + e.getMessage(), e);
        } finally {
            restoreAutoCommit(autoCommit);
            running.set(false);
        }
        return stats();
    }

    private void perform() {
        long operation = state.operation();
        OperationMix.Operation next = scheduled(operation).orElseGet(mix::pick);
        try {
            next.action().run();
            state.nextOperation();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw new WorkloadException("workload operation " + operation + " (" + next.name() + ") failed: "
                    + e.getMessage(), e);
        }
    }

    private Optional<OperationMix.Operation> scheduled(long operation) {
        if (operation == options.truncateAt()) {
            return Optional.of(new OperationMix.Operation("truncate ci_builds", 0, bulk::truncateBuilds));
        }
        if (operation == options.backgroundMigrationAt()) {
            return Optional.of(new OperationMix.Operation("background migration", 0, bulk::backgroundMigration));
        }
        if (operation == options.largeTransactionAt()) {
            return Optional.of(new OperationMix.Operation("large transaction", 0,
                    () -> bulk.largeTransaction(options.largeTransactionRows())));
        }
        return Optional.empty();
    }

    /** A connection broken by a killed cell cannot be restored; the failure that broke it is already on its way. */
    private void restoreAutoCommit(boolean autoCommit) {
        try {
            if (!state.connection.isClosed()) {
                state.connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            // See above: reporting this would hide the operation's own failure.
        }
    }

    private void rollbackQuietly(Exception failure) {
        try {
            state.connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Spaces operations at the requested rate; after a slow one (the large transaction) it keeps the pace, no burst. */
    private static final class Throttle {
        private final long intervalNanos;
        private long next = System.nanoTime();

        Throttle(int operationsPerSecond) {
            this.intervalNanos = operationsPerSecond == 0 ? 0 : 1_000_000_000L / operationsPerSecond;
        }

        void awaitTurn() {
            if (intervalNanos == 0) {
                return;
            }
            long now = System.nanoTime();
            if (next > now) {
                try {
                    Thread.sleep(Duration.ofNanos(next - now));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            next = Math.max(next, now) + intervalNanos;
        }
    }
}
