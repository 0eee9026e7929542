package io.cellpipe.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directory of one cell under {@code java.io.tmpdir}: the PostgreSQL data directory, the server log and the pid of
 * the JVM that owns it. A JVM that dies without closing its cells (a killed test fork) leaves postmasters running;
 * the next cell to start in any JVM stops them and removes their directories, so they cannot pile up.
 */
final class CellDirectory {
    private static final String PARENT = "cellpipe-cells";
    private static final String OWNER_FILE = "owner.pid";
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final System.Logger LOG = System.getLogger(CellDirectory.class.getName());

    private final Path root;

    private CellDirectory(Path root) {
        this.root = root;
    }

    static CellDirectory create(int majorVersion) {
        Path parent = Path.of(System.getProperty("java.io.tmpdir"), PARENT);
        try {
            Files.createDirectories(parent);
            sweepOrphans(parent);
            Path root = Files.createTempDirectory(parent, "pg" + majorVersion + "-");
            Files.writeString(root.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            return new CellDirectory(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a cell directory under " + parent, e);
        }
    }

    /** Created by initdb on first start, so it must not exist before. */
    Path data() {
        return root.resolve("data");
    }

    Path serverLog() {
        return root.resolve("server.log");
    }

    /** The last lines of the server log, for an error message. */
    String serverLogTail(int lines) {
        try {
            List<String> all = Files.readAllLines(serverLog());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    void delete() {
        deleteTree(root);
    }

    @Override
    public String toString() {
        return root.toString();
    }

    /** Synchronized so that cells starting in parallel do not race to delete the same orphan. */
    private static synchronized void sweepOrphans(Path parent) throws IOException {
        try (Stream<Path> children = Files.list(parent)) {
            for (Path child : children.toList()) {
                if (ownerIsGone(child)) {
                    sweep(child);
                }
            }
        }
    }

    private static void sweep(Path orphan) {
        try {
            PostmasterProcess.of(orphan.resolve("data")).ifPresent(postmaster -> postmaster.kill(KILL_TIMEOUT));
            deleteTree(orphan);
        } catch (RuntimeException e) {
            // Another JVM may be sweeping the same orphan; a leftover must not keep this cell from starting.
            LOG.log(System.Logger.Level.WARNING, "could not remove orphaned cell " + orphan, e);
        }
    }

    /** A cell whose owner file is missing is still being created, so only a dead owner's cell counts as orphaned. */
    private static boolean ownerIsGone(Path cell) {
        try {
            long owner = Long.parseLong(Files.readString(cell.resolve(OWNER_FILE)).trim());
            return ProcessHandle.of(owner).map(handle -> !ProcessLiveness.isRunning(handle)).orElse(true);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                    if (failure instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw failure;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // Already gone, possibly removed by another JVM's sweep.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete cell directory " + root, e);
        }
    }
}
