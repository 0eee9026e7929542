package io.cellpipe.testing;

/**
 * How a {@link Workload} runs. The one-off operations happen at fixed operation numbers (counted from 0 over the
 * workload's life), so a seed yields the same changes whether the workload runs for a count or for a duration.
 * The defaults order them truncate, then background migration, then large transaction, so that the rows of the large
 * transaction survive to the end of the run.
 *
 * @param operationsPerSecond   a rate limit; 0 runs as fast as the cell allows
 * @param largeTransactionRows  rows inserted into {@code ci_builds} by the single large transaction
 * @param truncateAt            operation number of the one {@code TRUNCATE ci_builds}, or {@link #NEVER}
 * @param backgroundMigrationAt operation number of the batched UPDATE of every merge request, or {@link #NEVER}
 * @param largeTransactionAt    operation number of the large transaction, or {@link #NEVER}
 */
public record WorkloadOptions(
        int operationsPerSecond,
        int largeTransactionRows,
        long truncateAt,
        long backgroundMigrationAt,
        long largeTransactionAt) {
    public static final long NEVER = -1;

    public WorkloadOptions {
        if (operationsPerSecond < 0) {
            throw new IllegalArgumentException("operationsPerSecond must be 0 (unlimited) or more: " + operationsPerSecond);
        }
        if (largeTransactionRows < 1) {
            throw new IllegalArgumentException("largeTransactionRows must be at least 1: " + largeTransactionRows);
        }
        requireOperationNumber("truncateAt", truncateAt);
        requireOperationNumber("backgroundMigrationAt", backgroundMigrationAt);
        requireOperationNumber("largeTransactionAt", largeTransactionAt);
    }

    /**
     * For the demo: a moderate 20 operations a second; after 10 s the truncate, after 30 s the background migration,
     * after 60 s a transaction of 50,000 rows.
     */
    public static WorkloadOptions forDemo() {
        return new WorkloadOptions(20, 50_000, 200, 600, 1_200);
    }

    /** For tests: unthrottled; all one-off operations within the first 200 operations, a 5,000-row transaction. */
    public static WorkloadOptions forTests() {
        return new WorkloadOptions(0, 5_000, 50, 100, 150);
    }

    public WorkloadOptions withOperationsPerSecond(int value) {
        return new WorkloadOptions(value, largeTransactionRows, truncateAt, backgroundMigrationAt, largeTransactionAt);
    }

    public WorkloadOptions withLargeTransactionRows(int value) {
        return new WorkloadOptions(operationsPerSecond, value, truncateAt, backgroundMigrationAt, largeTransactionAt);
    }

    public WorkloadOptions withTruncateAt(long value) {
        return new WorkloadOptions(operationsPerSecond, largeTransactionRows, value, backgroundMigrationAt, largeTransactionAt);
    }

    public WorkloadOptions withBackgroundMigrationAt(long value) {
        return new WorkloadOptions(operationsPerSecond, largeTransactionRows, truncateAt, value, largeTransactionAt);
    }

    public WorkloadOptions withLargeTransactionAt(long value) {
        return new WorkloadOptions(operationsPerSecond, largeTransactionRows, truncateAt, backgroundMigrationAt, value);
    }

    private static void requireOperationNumber(String name, long value) {
        if (value < NEVER) {
            throw new IllegalArgumentException(name + " must be an operation number (0 or more) or NEVER (-1): " + value);
        }
    }
}
