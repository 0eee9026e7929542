package io.cellpipe.cli;

import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.spi.SlotWal;
import io.cellpipe.postgres.SlotLagProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures each cell's slot WAL every interval on one thread, with one connection per cell of its
 * own. Follows the running cells: probes are opened for cells that joined and closed for cells
 * that left.
 */
final class SlotLagMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SlotLagMonitor.class);

    private static final Duration STARTUP = Duration.ofMinutes(1);
    private static final Duration STARTUP_INTERVAL = Duration.ofSeconds(1);

    private final Map<String, SlotLagProbe> probes = new ConcurrentHashMap<>();
    private final Map<String, SlotWal> measured = new ConcurrentHashMap<>();
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

    /** The latest lag in bytes, NaN while unknown (cell unreachable, slot not created yet). */
    double bytes(String cellId) {
        return value(cellId, SlotWal::lagBytes);
    }

    /** WAL the cell retains for the slot, NaN while unknown. */
    double retainedBytes(String cellId) {
        return value(cellId, SlotWal::retainedBytes);
    }

    /** {@code max_slot_wal_keep_size} in bytes, NaN while unknown or unlimited. */
    double limitBytes(String cellId) {
        return optionalValue(cellId, SlotWal::limitBytes);
    }

    /** {@code safe_wal_size}, NaN while unknown or unlimited. */
    double safeBytes(String cellId) {
        return optionalValue(cellId, SlotWal::safeBytes);
    }

    OptionalLong measured(String cellId) {
        SlotWal wal = measured.get(cellId);
        return wal == null ? OptionalLong.empty() : OptionalLong.of(wal.lagBytes());
    }

    Optional<SlotWal> wal(String cellId) {
        return Optional.ofNullable(measured.get(cellId));
    }

    private double value(String cellId, ToLongFunction<SlotWal> value) {
        SlotWal wal = measured.get(cellId);
        return wal == null ? Double.NaN : value.applyAsLong(wal);
    }

    private double optionalValue(String cellId, Function<SlotWal, OptionalLong> value) {
        SlotWal wal = measured.get(cellId);
        if (wal == null || value.apply(wal).isEmpty()) {
            return Double.NaN;
        }
        return value.apply(wal).getAsLong();
    }

    private void measureUntilClosed() {
        long started = System.nanoTime();
        try {
            while (running) {
                follow(cells.get());
                for (Map.Entry<String, SlotLagProbe> probe : new ArrayList<>(probes.entrySet())) {
                    Optional<SlotWal> wal = probe.getValue().measure();
                    if (wal.isPresent()) {
                        measured.put(probe.getKey(), wal.get());
                    } else {
                        measured.remove(probe.getKey());
                    }
                }
                // at start the slots may not exist yet (a first snapshot creates them): look again soon, not in a full interval
                boolean starting = System.nanoTime() - started < STARTUP.toNanos() && measured.size() < probes.size();
                Thread.sleep(starting ? STARTUP_INTERVAL : interval);
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
                measured.remove(id);
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
