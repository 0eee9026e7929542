package io.cellpipe.cli;

import io.cellpipe.core.config.CellConfig;
import io.cellpipe.postgres.SlotLagProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures each cell's slot lag in bytes every interval on one thread, with one connection per cell
 * of its own. Follows the running cells: probes are opened for cells that joined and closed for
 * cells that left.
 */
final class SlotLagMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SlotLagMonitor.class);

    private final Map<String, SlotLagProbe> probes = new ConcurrentHashMap<>();
    private final Map<String, Long> bytes = new ConcurrentHashMap<>();
    private final Supplier<List<CellConfig>> cells;
    private final String pipeline;
    private final Duration interval;
    private final Thread thread;
    private volatile boolean running = true;

    SlotLagMonitor(Supplier<List<CellConfig>> cells, String pipeline, Duration interval) {
        this.cells = cells;
        this.pipeline = pipeline;
        this.interval = interval;
        this.thread = Thread.ofVirtual().name("slot-lag").start(this::measureUntilClosed);
    }

    /** The latest measurement, NaN while unknown (cell unreachable, slot not created yet). */
    double bytes(String cellId) {
        Long value = bytes.get(cellId);
        return value == null ? Double.NaN : value;
    }

    OptionalLong measured(String cellId) {
        Long value = bytes.get(cellId);
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private void measureUntilClosed() {
        try {
            while (running) {
                follow(cells.get());
                for (Map.Entry<String, SlotLagProbe> probe : new ArrayList<>(probes.entrySet())) {
                    OptionalLong lag = probe.getValue().bytes();
                    if (lag.isPresent()) {
                        bytes.put(probe.getKey(), lag.getAsLong());
                    } else {
                        bytes.remove(probe.getKey());
                    }
                }
                Thread.sleep(interval);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("measuring slot lag stopped: {}", e.toString());
        } finally {
            probes.values().forEach(SlotLagProbe::close);
        }
    }

    private void follow(List<CellConfig> running) {
        Map<String, CellConfig> wanted = new HashMap<>();
        running.forEach(cell -> wanted.put(cell.id(), cell));
        for (String id : List.copyOf(probes.keySet())) {
            if (!wanted.containsKey(id)) {
                probes.remove(id).close();
                bytes.remove(id);
            }
        }
        wanted.forEach((id, cell) -> probes.computeIfAbsent(id, ignored -> new SlotLagProbe(cell, pipeline)));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(Duration.ofSeconds(5));
    }
}
