package io.cellpipe.core.pipeline;

import io.cellpipe.core.alert.AlertKind;
import io.cellpipe.core.alert.Alerts;
import io.cellpipe.core.alert.Severity;
import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.config.CellRegistry;
import io.cellpipe.core.config.ConfigException;
import io.cellpipe.core.config.RegistryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the cell registry file: every interval it reads the file and, when its bytes changed,
 * hands the new cell list to the {@link Supervisor}. An edit that does not parse or check (bad TOML,
 * overlapping ranges, a duplicate id) is rejected with the reason, and the running cells are kept.
 * Polling rather than a file-system watch, because editors replace files and mounted config maps
 * swap symlinks, both of which watches miss.
 */
public final class RegistryWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RegistryWatcher.class);
    /** The latest edit of the registry file was rejected; the running cells are kept. */
    public static final AlertKind REGISTRY_REJECTED = new AlertKind("registry_rejected", Severity.WARNING);

    private final RegistryConfig registry;
    private final Supervisor supervisor;
    private final Alerts alerts;
    private final Thread thread;
    private volatile byte[] applied;
    private byte[] pending;
    private volatile String rejection;
    private volatile Instant lastChange = Instant.now();
    private volatile boolean running = true;

    private RegistryWatcher(RegistryConfig registry, Supervisor supervisor, Alerts alerts, byte[] applied) {
        this.registry = registry;
        this.supervisor = supervisor;
        this.alerts = alerts;
        this.applied = applied;
        this.thread = Thread.ofVirtual().name("registry-watch").unstarted(this::watch);
    }

    /** Starts watching, taking the file as it is now as what the running cells were built from. */
    public static RegistryWatcher start(RegistryConfig registry, Supervisor supervisor, Alerts alerts) {
        RegistryWatcher watcher = new RegistryWatcher(registry, supervisor, alerts, read(registry).orElse(new byte[0]));
        watcher.thread.start();
        return watcher;
    }

    /** Why the latest edit of the file was not applied; empty when the running cells match the file. */
    public Optional<String> rejection() {
        return Optional.ofNullable(rejection);
    }

    public Instant lastChange() {
        return lastChange;
    }

    /**
     * Reads the file and applies it if it changed and reads the same as at the previous check; what
     * the watch thread does every interval.
     */
    public synchronized void check() throws InterruptedException {
        Optional<byte[]> content = read(registry);
        if (content.isEmpty()) {
            reject("cell registry " + registry.file() + " cannot be read (missing or being replaced?)");
            return;
        }
        if (Arrays.equals(content.get(), applied)) {
            accepted();
            pending = null;
            return;
        }
        if (!Arrays.equals(content.get(), pending)) {
            // seen for the first time: apply once two reads agree, so a file caught half-written never removes cells
            pending = content.get();
            return;
        }
        List<CellConfig> cells;
        try {
            cells = CellRegistry.parse(registry, new String(content.get(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (ConfigException e) {
            reject(e.getMessage());
            return;
        }
        Supervisor.Change change = supervisor.reconcile(cells);
        applied = content.get();
        accepted();
        lastChange = Instant.now();
        log.info("cell registry {} changed: {} cells (added {}, removed {}, restarted {})", registry.file(), cells.size(),
                change.added(), change.removed(), change.restarted());
    }

    private void reject(String reason) {
        if (rejection == null || !rejection.equals(reason)) {
            alerts.raise(REGISTRY_REJECTED, "", registry.file().toString(), reason + "; keeping the " + supervisor.cells().size()
                    + " running cells until the file is fixed");
        }
        rejection = reason;
    }

    private void accepted() {
        if (rejection != null) {
            alerts.resolve(REGISTRY_REJECTED, "", registry.file().toString());
        }
        rejection = null;
    }

    private void watch() {
        while (running) {
            try {
                Thread.sleep(registry.watchInterval());
                check();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                rejection = "cell registry " + registry.file() + ": " + e.getMessage();
                log.error("applying cell registry {} failed: {}; retrying in {}", registry.file(), e.toString(), registry.watchInterval());
            }
        }
    }

    /** The file's bytes; empty (and the running cells kept) while it is missing or unreadable, e.g. mid-replace. */
    private static Optional<byte[]> read(RegistryConfig registry) {
        try {
            return Optional.of(Files.readAllBytes(registry.file()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(Duration.ofSeconds(10));
    }
}
