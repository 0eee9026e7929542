package io.cellpipe.duckdb;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code _cellpipe.changes} to {@code destination.duckdb.change_log_retention}: a background thread
 * deletes entries loaded ({@code uploaded_at}) longer ago than that, every quarter of the retention
 * (at least every second, at most every hour). Deleting old entries never conflicts with the batches
 * appending new ones.
 */
final class ChangeLogRetention implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeLogRetention.class);

    private final Warehouse warehouse;
    private final WarehouseCatalog catalog;
    private final Duration retention;
    private final ScheduledExecutorService scheduler;

    ChangeLogRetention(Warehouse warehouse, WarehouseCatalog catalog, Duration retention) {
        this.warehouse = warehouse;
        this.catalog = catalog;
        this.retention = retention;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("change-log-retention").daemon().factory());
        long every = Math.clamp(retention.toMillis() / 4, 1_000, Duration.ofHours(1).toMillis());
        scheduler.scheduleWithFixedDelay(this::pruneQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    private void pruneQuietly() {
        try {
            long pruned = prune(warehouse, catalog, Instant.now().minus(retention));
            if (pruned > 0) {
                log.info("change log: removed {} entries loaded more than {} ago (destination.duckdb.change_log_retention)", pruned, retention);
            }
        } catch (RuntimeException e) {
            log.warn("change log: pruning entries older than {} failed, retrying later: {}", retention, e.getMessage());
        }
    }

    /** Removes entries loaded before {@code cutoff}; returns how many. */
    static long prune(Warehouse warehouse, WarehouseCatalog catalog, Instant cutoff) {
        Lock dataLock = catalog.dataLock();
        dataLock.lock();
        try (DuckDBConnection connection = warehouse.session()) {
            long micros = CommitStamp.micros(cutoff);
            return SqlTransaction.run(connection, () -> {
                long pruned;
                try (PreparedStatement rows = connection.prepareStatement("DELETE FROM " + ControlTables.CHANGE_ROWS + " WHERE commit_id IN"
                        + " (SELECT commit_id FROM " + ControlTables.CHANGE_COMMITS + " WHERE uploaded_at < make_timestamptz(CAST(? AS BIGINT)))")) {
                    rows.setLong(1, micros);
                    pruned = rows.executeUpdate();
                }
                try (PreparedStatement commits = connection.prepareStatement("DELETE FROM " + ControlTables.CHANGE_COMMITS
                        + " WHERE uploaded_at < make_timestamptz(CAST(? AS BIGINT))")) {
                    commits.setLong(1, micros);
                    commits.executeUpdate();
                }
                return pruned;
            });
        } catch (SQLException e) {
            throw new WarehouseException("cannot prune the change log of the DuckDB warehouse " + warehouse.path() + ": " + e.getMessage(), e);
        } finally {
            dataLock.unlock();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
