package io.cellpipe.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Headless Chromium, to load a page, run its scripts and dump the resulting DOM. */
final class Chromium {
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

    private final Path executable;

    private Chromium(Path executable) {
        this.executable = executable;
    }

    /** Chromium from $CHROMIUM or the PATH; fails, saying how to install it, when there is none. */
    static Chromium find() {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return new Chromium(Path.of(configured));
        }
        return onPath().map(Chromium::new).orElseThrow(() -> new AssertionError(
                "headless Chromium is needed to test the status page and none was found (tried " + String.join(", ", NAMES)
                        + " on the PATH, and $CHROMIUM). Install it: `apt-get install -y chromium` on Debian or Ubuntu"
                        + " (.ci/run does this), or set CHROMIUM to a Chrome or Chromium executable"));
    }

    private static Optional<Path> onPath() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : NAMES) {
            for (String directory : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(directory, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Loads the page, lets its scripts run for {@code scriptTime} of virtual time (fetches included),
     * and returns the DOM as HTML.
     */
    String dumpDom(String url, Duration scriptTime, Path profile) throws IOException, InterruptedException {
        return run(profile, "--virtual-time-budget=" + scriptTime.toMillis(), "--dump-dom", url);
    }

    /** Like {@link #dumpDom}, but saves a PNG of the page as a 1400 x 1000 window shows it. */
    void screenshot(String url, Duration scriptTime, Path profile, Path png) throws IOException, InterruptedException {
        run(profile, "--virtual-time-budget=" + scriptTime.toMillis(), "--window-size=1400,1000", "--hide-scrollbars",
                "--screenshot=" + png.toAbsolutePath(), url);
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
    }

    private String run(Path profile, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile));
        command.addAll(List.of(arguments));
        Path errors = Files.createTempFile(profile.getParent(), "chromium", ".log");
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        byte[] out;
        try (var stdout = process.getInputStream()) {
            out = stdout.readAllBytes();
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s: " + Files.readString(errors));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("chromium exited with " + process.exitValue() + ": " + Files.readString(errors));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
