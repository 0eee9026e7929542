package io.cellpipe.duckdb;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.config.ConfigSection;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Options of the DuckDB destination.
 *
 * @param path the warehouse database file; created with its parent directories if missing
 * @param hardDeletes remove deleted rows instead of keeping them with {@code _deleted = true}
 * @param changeLog also append every change to {@code _cellpipe.changes}
 * @param memoryLimit bytes DuckDB may use before it spills to disk; it applies a large source
 *     transaction as one transaction, so this is what bounds the process's native memory
 * @param changeLogRetention how long change log entries are kept after they were loaded; null keeps them forever
 * @param threads DuckDB's worker threads; each holds memory of its own outside DuckDB's memory limit
 *     while the statements that apply a large transaction scan the rows it already wrote
 */
public record DuckDbOptions(Path path, boolean hardDeletes, boolean changeLog, long memoryLimit, Duration changeLogRetention, int threads) {
    public static final long DEFAULT_MEMORY_LIMIT = 128L * 1024 * 1024;
    public static final int DEFAULT_THREADS = 1;
    private static final long MINIMUM_MEMORY_LIMIT = 16L * 1024 * 1024;

    public DuckDbOptions {
        requireNonNull(path, "path is null");
        if (memoryLimit < MINIMUM_MEMORY_LIMIT) {
            throw new IllegalArgumentException("destination.duckdb.memory_limit must be at least 16MB, not " + memoryLimit + " bytes");
        }
        if (changeLogRetention != null && changeLogRetention.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("destination.duckdb.change_log_retention must be at least 1s, not " + changeLogRetention);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("destination.duckdb.threads must be at least 1, not " + threads);
        }
    }

    public DuckDbOptions(Path path, boolean hardDeletes, boolean changeLog, long memoryLimit, Duration changeLogRetention) {
        this(path, hardDeletes, changeLog, memoryLimit, changeLogRetention, DEFAULT_THREADS);
    }

    public DuckDbOptions(Path path, boolean hardDeletes, boolean changeLog, long memoryLimit) {
        this(path, hardDeletes, changeLog, memoryLimit, null);
    }

    public DuckDbOptions(Path path, boolean hardDeletes, boolean changeLog) {
        this(path, hardDeletes, changeLog, DEFAULT_MEMORY_LIMIT);
    }

    public static DuckDbOptions of(Path path) {
        return new DuckDbOptions(path, false, true);
    }

    /**
     * Reads {@code path} (required), {@code hard_deletes} (default false), {@code change_log} (default true), {@code memory_limit}
     * (128MB), {@code change_log_retention} (default: keep forever), {@code threads} (1).
     */
    public static DuckDbOptions from(ConfigSection section) {
        String path = section.string("path");
        if (path.isBlank()) {
            throw section.error("path", "must name the warehouse file, e.g. ./warehouse.duckdb");
        }
        long memoryLimit = section.bytes("memory_limit", DEFAULT_MEMORY_LIMIT);
        if (memoryLimit < MINIMUM_MEMORY_LIMIT) {
            throw section.error("memory_limit", "must be at least 16MB");
        }
        Duration retention = section.duration("change_log_retention", null);
        if (retention != null && retention.compareTo(Duration.ofSeconds(1)) < 0) {
            throw section.error("change_log_retention", "must be at least 1s");
        }
        DuckDbOptions options = new DuckDbOptions(Path.of(path), section.bool("hard_deletes", false), section.bool("change_log", true),
                memoryLimit, retention, section.integer("threads", DEFAULT_THREADS, 1, 1024));
        section.finish();
        return options;
    }
}
