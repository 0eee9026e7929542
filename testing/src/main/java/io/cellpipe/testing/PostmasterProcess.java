package io.cellpipe.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The postmaster of a data directory, found through its {@code postmaster.pid}, and the means to kill it as a crash
 * would: the postmaster and every server process at once, with no shutdown checkpoint.
 */
final class PostmasterProcess {
    private static final Duration POLL = Duration.ofMillis(20);

    private final Path dataDirectory;
    private final ProcessHandle postmaster;

    private PostmasterProcess(Path dataDirectory, ProcessHandle postmaster) {
        this.dataDirectory = dataDirectory;
        this.postmaster = postmaster;
    }

    /** The running postmaster of {@code dataDirectory}; empty when none runs (no pid file, or its pid is not ours). */
    static Optional<PostmasterProcess> of(Path dataDirectory) {
        Optional<Long> pid = pidFromFile(dataDirectory.resolve("postmaster.pid"));
        return pid.flatMap(ProcessHandle::of)
                .filter(ProcessLiveness::isRunning)
                .filter(handle -> servesDirectory(handle, dataDirectory))
                .map(handle -> new PostmasterProcess(dataDirectory, handle));
    }

    /**
     * SIGKILLs the postmaster and its children and waits until none runs. pg_ctl starts the postmaster in a session of
     * its own, so signalling the process group reaches every backend at once, like a power cut; the descendants are
     * also killed one by one in case the postmaster was not started through pg_ctl.
     */
    void kill(Duration timeout) {
        List<ProcessHandle> processes = new ArrayList<>();
        processes.add(postmaster);
        postmaster.descendants().forEach(processes::add);
        signalProcessGroup();
        processes.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle process : processes) {
            while (ProcessLiveness.isRunning(process)) {
                if (System.nanoTime() > deadline) {
                    throw new EmbeddedCellException("PostgreSQL process " + process.pid() + " of " + dataDirectory
                            + " is still running " + timeout.toSeconds() + " s after SIGKILL");
                }
                sleep(POLL);
            }
        }
        removeLockFileOfZombie();
    }

    /**
     * When nothing reaps orphans (see {@link ProcessLiveness}), the killed postmaster stays a zombie, and
     * PostgreSQL would take its still-existing pid in {@code postmaster.pid} for a running server and refuse to start.
     * A real crash followed by a reboot leaves no such process, so removing the file is the faithful simulation.
     */
    private void removeLockFileOfZombie() {
        if (ProcessLiveness.isZombie(postmaster.pid())) {
            try {
                Files.deleteIfExists(dataDirectory.resolve("postmaster.pid"));
            } catch (IOException e) {
                throw new EmbeddedCellException("cannot remove the stale postmaster.pid of " + dataDirectory, e);
            }
        }
    }

    private void signalProcessGroup() {
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + postmaster.pid())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor();
        } catch (IOException e) {
            // No kill(1) here: the per-process SIGKILL that follows still does the job, only less atomically.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Guards against a recycled pid: only a process started with this data directory is ours to kill. */
    private static boolean servesDirectory(ProcessHandle handle, Path dataDirectory) {
        try {
            String commandLine = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "cmdline"));
            return commandLine.contains(dataDirectory.toString());
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Long> pidFromFile(Path pidFile) {
        try {
            String firstLine = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            return firstLine.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(firstLine));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedCellException("interrupted while waiting for PostgreSQL processes to die", e);
        }
    }
}
