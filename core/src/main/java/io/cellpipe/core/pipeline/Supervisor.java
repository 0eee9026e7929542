package io.cellpipe.core.pipeline;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.spi.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the running cells equal to the wanted ones: a new cell is started (snapshot, then stream), a
 * removed one is drained and stopped, a cell whose URL changed is restarted. Calls are serialized;
 * listeners hear the new set after each change.
 */
public final class Supervisor {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    /** Opens a cell's capture, and forgets a cell that was removed (e.g. drops its slot when configured to). */
    public interface Cells {
        Source open(CellConfig cell);

        default void removed(CellConfig cell) {
        }
    }

    private final Pipeline pipeline;
    private final Cells cells;
    private final Duration drainTimeout;
    private final Map<String, CellConfig> running = new LinkedHashMap<>();
    private final List<Consumer<List<CellConfig>>> listeners = new CopyOnWriteArrayList<>();

    public Supervisor(Pipeline pipeline, Cells cells, Duration drainTimeout) {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.cells = requireNonNull(cells, "cells is null");
        this.drainTimeout = requireNonNull(drainTimeout, "drainTimeout is null");
    }

    /** Told the running cells after every change, and once at once. */
    public void listen(Consumer<List<CellConfig>> listener) {
        listeners.add(listener);
        listener.accept(cells());
    }

    public synchronized List<CellConfig> cells() {
        return List.copyOf(running.values());
    }

    /** Starts, stops and restarts cells so that exactly {@code wanted} run. */
    public synchronized Change reconcile(List<CellConfig> wanted) throws InterruptedException {
        CellConfig.checkDistinct(wanted);
        Map<String, CellConfig> next = new LinkedHashMap<>();
        wanted.forEach(cell -> next.put(cell.id(), cell));
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> restarted = new ArrayList<>();
        for (CellConfig old : List.copyOf(running.values())) {
            CellConfig now = next.get(old.id());
            if (now == null) {
                log.info("cell {} left the registry: draining and stopping it", old.id());
                pipeline.removeCell(old.id(), drainTimeout);
                running.remove(old.id());
                removed.add(old.id());
                forget(old);
            } else if (!Objects.equals(now.url(), old.url())) {
                log.info("cell {} moved to {}: restarting its capture", old.id(), now.safeUrl());
                pipeline.removeCell(old.id(), drainTimeout);
                running.remove(old.id());
                restarted.add(old.id());
            } else {
                running.put(old.id(), now); // sequence ranges may have changed; nothing to restart
            }
        }
        for (CellConfig cell : next.values()) {
            if (!running.containsKey(cell.id())) {
                pipeline.addCell(cells.open(cell));
                running.put(cell.id(), cell);
                if (!restarted.contains(cell.id())) {
                    added.add(cell.id());
                    log.info("cell {} joined: capturing {}", cell.id(), cell.safeUrl());
                }
            }
        }
        Change change = new Change(added, removed, restarted);
        List<CellConfig> now = cells();
        listeners.forEach(listener -> listener.accept(now));
        return change;
    }

    private void forget(CellConfig cell) {
        try {
            cells.removed(cell);
        } catch (RuntimeException e) {
            log.warn("cell {} was removed, but cleaning up after it failed: {}", cell.id(), e.getMessage());
        }
    }

    /** What one reconciliation did, by cell id. */
    public record Change(List<String> added, List<String> removed, List<String> restarted) {
        public Change {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            restarted = List.copyOf(restarted);
        }

        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && restarted.isEmpty();
        }
    }
}
