package io.cellpipe.duckdb;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary files of snapshot chunks loaded as CSV ({@link CsvSnapshotInsert}): beside the
 * warehouse, named after it and after the process that writes them, {@code .<warehouse
 * file>.snapshot-<pid>-<random>.csv}, so the files a killed process left can be told from those a
 * live one is writing, and removed.
 */
final class SnapshotFiles {
    private static final Logger log = LoggerFactory.getLogger(SnapshotFiles.class);

    private SnapshotFiles() {
    }

    /** A new empty file, readable and writable by its owner only (where the file system has POSIX permissions). */
    static Path create(Path warehouse) throws IOException {
        return Files.createTempFile(directory(warehouse), prefix(warehouse) + ProcessHandle.current().pid() + "-", ".csv");
    }

    /** Deletes the files of this warehouse whose process has ended; returns how many. */
    static int removeLeftovers(Path warehouse) {
        String prefix = prefix(warehouse);
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory(warehouse), prefix + "*.csv")) {
            for (Path file : files) {
                String rest = file.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                long pid;
                try {
                    pid = Long.parseLong(rest.substring(0, Math.max(dash, 0)));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                Files.deleteIfExists(file);
                removed++;
            }
        } catch (IOException e) {
            log.warn("cannot remove the temporary snapshot files left beside the DuckDB warehouse {} ({}); files named {}*.csv there"
                    + " may be deleted by hand when no cellpipe process uses the warehouse", warehouse, e.getMessage(), prefix);
        }
        if (removed > 0) {
            log.info("removed {} temporary snapshot file(s) beside the DuckDB warehouse {}, left by a process that ended", removed, warehouse);
        }
        return removed;
    }

    private static Path directory(Path warehouse) {
        return warehouse.toAbsolutePath().getParent();
    }

    private static String prefix(Path warehouse) {
        return "." + warehouse.getFileName() + ".snapshot-";
    }
}
