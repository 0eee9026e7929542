package io.cellpipe.duckdb;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.config.ConfigSection;
import java.nio.file.Path;

/**
 * Options of the DuckDB destination.
 *
 * @param path the warehouse database file; created with its parent directories if missing
 * @param hardDeletes remove deleted rows instead of keeping them with {@code _deleted = true}
 * @param changeLog also append every change to {@code _cellpipe.changes}
 */
public record DuckDbOptions(Path path, boolean hardDeletes, boolean changeLog) {
    public DuckDbOptions {
        requireNonNull(path, "path is null");
    }

    public static DuckDbOptions of(Path path) {
        return new DuckDbOptions(path, false, true);
    }

    /** Reads {@code path} (required), {@code hard_deletes} (default false) and {@code change_log} (default true). */
    public static DuckDbOptions from(ConfigSection section) {
        String path = section.string("path");
        if (path.isBlank()) {
            throw section.error("path", "must name the warehouse file, e.g. ./warehouse.duckdb");
        }
        DuckDbOptions options = new DuckDbOptions(Path.of(path), section.bool("hard_deletes", false), section.bool("change_log", true));
        section.finish();
        return options;
    }
}
