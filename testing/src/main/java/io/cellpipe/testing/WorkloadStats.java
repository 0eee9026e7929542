package io.cellpipe.testing;

/**
 * What a {@link Workload} has done since it was created. Row counts are rows the server reported as changed;
 * {@code deletes} does not count rows removed by cascading foreign keys or by TRUNCATE.
 *
 * @param operations           operations performed, one-off ones included
 * @param transactions         transactions committed
 * @param largeTransactions    large transactions committed (their rows are in {@code inserts})
 * @param backgroundMigrations background migrations completed (their rows are in {@code updates})
 */
public record WorkloadStats(
        long operations,
        long transactions,
        long inserts,
        long updates,
        long deletes,
        long truncates,
        long largeTransactions,
        long backgroundMigrations) {
    public static final WorkloadStats NONE = new WorkloadStats(0, 0, 0, 0, 0, 0, 0, 0);
}
