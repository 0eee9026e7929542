package io.cellpipe.testing;

/**
 * The running counts behind {@link WorkloadStats}. The workload's thread writes them while another thread may read a
 * snapshot (a background workload), hence the monitor.
 */
final class WorkloadCounters {
    private long operations;
    private long transactions;
    private long inserts;
    private long updates;
    private long deletes;
    private long truncates;
    private long largeTransactions;
    private long backgroundMigrations;

    synchronized void operation() {
        operations++;
    }

    synchronized void committed() {
        transactions++;
    }

    synchronized void inserted(long rows) {
        inserts += rows;
    }

    synchronized void updated(long rows) {
        updates += rows;
    }

    synchronized void deleted(long rows) {
        deletes += rows;
    }

    synchronized void truncated() {
        truncates++;
    }

    synchronized void largeTransaction() {
        largeTransactions++;
    }

    synchronized void backgroundMigration() {
        backgroundMigrations++;
    }

    synchronized WorkloadStats snapshot() {
        return new WorkloadStats(operations, transactions, inserts, updates, deletes, truncates, largeTransactions,
                backgroundMigrations);
    }
}
