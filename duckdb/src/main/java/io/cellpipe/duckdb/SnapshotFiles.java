package io.cellpipe.duckdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary files of snapshot chunks loaded as CSV ({@link CsvSnapshotInsert}): in a directory
 * of their own beside the warehouse, {@code .<warehouse file>.snapshots/}, the only one DuckDB may
 * read, and named after the process that writes them, {@code <pid>-<random>.csv}, so the files a
 * killed process left can be told from those a live one is writing, and removed.
 */
final class SnapshotFiles {
    private static final Logger log = LoggerFactory.getLogger(SnapshotFiles.class);

    private SnapshotFiles() {
    }

    /** A new empty file, readable and writable by its owner only (where the file system has POSIX permissions). */
    static Path create(Path warehouse) throws IOException {
        return Files.createTempFile(directory(warehouse), ProcessHandle.current().pid() + "-", ".csv");
    }

    /**
     * Deletes the files of this warehouse whose process has ended, and those of this process's id
     * older than this process (left by an earlier one the id was given to again, as in a container
     * where the JVM is always process 1); returns how many. Never throws: a file it cannot delete is
     * reported and left.
     */
    static int removeLeftovers(Path warehouse) {
        long self = ProcessHandle.current().pid();
        Instant started = ProcessHandle.current().info().startInstant().orElse(Instant.EPOCH);
        int removed = 0;
        try (Stream<Path> files = Files.list(directory(warehouse))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".csv")) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(name.substring(0, Math.max(name.indexOf('-'), 0)));
                } catch (NumberFormatException e) {
                    continue;
                }
                boolean ended = pid == self ? Files.getLastModifiedTime(file).toInstant().isBefore(started)
                        : !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (ended) {
                    Files.deleteIfExists(file);
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot remove the temporary snapshot files left in {} ({}); they may be deleted by hand when no cellpipe process"
                    + " uses the warehouse", directory(warehouse), e.toString());
        }
        if (removed > 0) {
            log.info("removed {} temporary snapshot file(s) beside the DuckDB warehouse {}, left by a process that ended", removed, warehouse);
        }
        return removed;
    }

    /** The one directory, beside the warehouse, that DuckDB may read files from (see {@link Warehouse}). */
    static Path directory(Path warehouse) {
        Path absolute = warehouse.toAbsolutePath();
        return absolute.resolveSibling("." + absolute.getFileName() + ".snapshots");
    }
}
