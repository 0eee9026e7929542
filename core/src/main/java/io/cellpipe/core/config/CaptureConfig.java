package io.cellpipe.core.config;

import java.nio.file.Path;
import java.time.Duration;

/** How cells are read and how changes are batched; every field has a documented default. */
public record CaptureConfig(
        Duration heartbeatInterval,
        int snapshotParallelism,
        int snapshotChunkPages,
        Path spillDirectory,
        long transactionMemory,
        int batchMaxChanges,
        Duration batchMaxDelay,
        int queueMaxTransactions,
        Duration retryInitial,
        Duration retryMax,
        Duration statusInterval) {
    public static CaptureConfig defaults() {
        return new CaptureConfig(Duration.ofSeconds(10), 2, 4096, Path.of(System.getProperty("java.io.tmpdir"), "cellpipe-spill"),
                8L * 1024 * 1024, 20_000, Duration.ofMillis(200), 10_000, Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(10));
    }

    public CaptureConfig withHeartbeat(Duration interval) {
        return new CaptureConfig(interval, snapshotParallelism, snapshotChunkPages, spillDirectory, transactionMemory, batchMaxChanges,
                batchMaxDelay, queueMaxTransactions, retryInitial, retryMax, statusInterval);
    }

    public CaptureConfig withRetry(Duration initial, Duration max) {
        return new CaptureConfig(heartbeatInterval, snapshotParallelism, snapshotChunkPages, spillDirectory, transactionMemory, batchMaxChanges,
                batchMaxDelay, queueMaxTransactions, initial, max, statusInterval);
    }
}
