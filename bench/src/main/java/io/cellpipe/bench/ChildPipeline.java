package io.cellpipe.bench;

import io.cellpipe.core.model.Lsn;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The parent's handle on a {@link PipelineProcess}: started with the same java and jar as the benchmark and the
 * JVM options of the {@code ./cellpipe} launcher (its argument file {@code scripts/jvm.options}), so its memory is
 * what a user sees.
 */
final class ChildPipeline implements AutoCloseable {
    private final Process process;
    private volatile String state = "STARTING";
    private volatile Lsn applied = Lsn.ZERO;
    private volatile long changes;

    private ChildPipeline(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("child-pipeline-output").start(this::readReports);
    }

    static ChildPipeline start(String yaml, Path directory) throws IOException {
        Path config = directory.resolve("child-pipeline.yml");
        Files.writeString(config, yaml, StandardCharsets.UTF_8);
        List<String> command = javaCommand(PipelineProcess.class, config.toString());
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return new ChildPipeline(process);
    }

    /**
     * A java command line for {@code main} in the benchmark's jar: the launcher's options file, then
     * {@code BENCH_CHILD_JAVA_OPTS} (for investigating only, e.g. {@code -XX:NativeMemoryTracking=summary}; a later
     * option wins over the file's), then the class and its arguments.
     */
    static List<String> javaCommand(Class<?> main, String... arguments) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "@" + launcherOptions()));
        String extra = System.getenv().getOrDefault("BENCH_CHILD_JAVA_OPTS", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", ownJar().toString(), main.getName()));
        command.addAll(List.of(arguments));
        return command;
    }

    /** {@code scripts/jvm.options} of the source tree the jar was built in ({@code bench/target/cellpipe-bench.jar}). */
    private static Path launcherOptions() {
        Path options = ownJar().toAbsolutePath().getParent().resolve("../../scripts/jvm.options").normalize();
        if (!Files.isRegularFile(options)) {
            throw new IllegalStateException("the launcher's JVM options " + options + " are missing; run the benchmark from its source"
                    + " tree with ./bench/run.sh");
        }
        return options;
    }

    long pid() {
        return process.pid();
    }

    long changesApplied() {
        return changes;
    }

    void awaitStreaming(Duration timeout) throws InterruptedException {
        await(() -> state.equals("STREAMING"), timeout, "streaming");
    }

    void awaitApplied(Lsn past, Duration timeout) throws InterruptedException {
        await(() -> applied.isAfter(past), timeout, "applied past " + past);
    }

    /** A field of {@code /proc/<pid>/status} in KiB, e.g. VmHWM (peak resident set) or VmRSS. */
    long statusKiB(String field) throws IOException {
        return statusKiB(process, field);
    }

    /** A field of a process's {@code /proc/<pid>/status} in KiB. */
    static long statusKiB(Process process, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        throw new IOException("no " + field + " in /proc/" + process.pid() + "/status");
    }

    @Override
    public void close() throws IOException {
        stop(process);
    }

    /** Closes the child's standard input (its signal to drain and exit) and waits for it; forcibly after 60 s. */
    static void stop(Process process) throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void await(java.util.function.BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive() || state.equals("FAILED") || System.nanoTime() > deadline) {
                throw new IllegalStateException("pipeline process " + process.pid() + " did not reach '" + what + "' within " + timeout
                        + " (state " + state + ", applied " + applied + ", alive " + process.isAlive() + ")");
            }
            Thread.sleep(20);
        }
    }

    private void readReports() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                String[] parts = line.split(" ");
                if (parts.length == 4 && parts[0].equals("report")) {
                    state = parts[1];
                    applied = Lsn.parse(parts[2]);
                    changes = Long.parseLong(parts[3]);
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
    }

    private static Path ownJar() {
        try {
            return Path.of(ChildPipeline.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the benchmark's jar", e);
        }
    }
}
