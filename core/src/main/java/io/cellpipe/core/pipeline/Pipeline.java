package io.cellpipe.core.pipeline;

import io.cellpipe.core.config.CaptureConfig;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running pipeline: one {@link CellRunner} per cell feeding one {@link BatchApplier}. Stopping
 * drains: readers stop reading, everything handed over is applied and acknowledged, then threads end.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    /**
     * The queue's in-memory changes may take a quarter of the heap, at most 256 MiB: with the launcher's
     * small default heap a fixed 256 MiB would let a catching-up cell fill the heap before backpressure.
     */
    static final long MAX_QUEUED_BYTES = Math.min(256L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4);

    /**
     * One batch: the readers fill the next batch while the applier writes the one it took. More only
     * waits, and it costs: changes that wait outlive young collections, are copied by each, and with the
     * launcher's small heap are promoted and fill the old generation (docs/BENCHMARKS.md).
     */
    static long maxQueuedChanges(CaptureConfig capture) {
        return capture.batchMaxChanges();
    }

    private final Destination destination;
    private final CaptureConfig capture;
    private final TransactionQueue queue;
    private final Map<String, CellRunner> runners = new ConcurrentHashMap<>();
    private final BatchApplier applier;
    private final Thread applierThread;
    private volatile boolean stopped;

    public Pipeline(Destination destination, CaptureConfig capture) {
        this(destination, capture, BatchListener.NONE);
    }

    public Pipeline(Destination destination, CaptureConfig capture, BatchListener batches) {
        this.destination = destination;
        this.capture = capture;
        this.queue = new TransactionQueue(capture.queueMaxTransactions(), MAX_QUEUED_BYTES, maxQueuedChanges(capture));
        this.applier = new BatchApplier(destination, queue, capture, runners::get, batches);
        this.applierThread = Thread.ofPlatform().name("applier").unstarted(applier);
    }

    public void start(Collection<? extends Source> sources) {
        applierThread.start();
        for (Source source : sources) {
            addCell(source);
        }
    }

    /** Starts capturing a cell; its snapshot is taken first if the destination has nothing for it. */
    public void addCell(Source source) {
        CellStatus status = new CellStatus(source.cellId());
        destination.checkpoint(source.cellId()).ifPresent(checkpoint -> {
            status.appliedLsn(checkpoint.lsn());
            status.currentAsOf(checkpoint.commitTime());
        });
        destination.stoppedTables().getOrDefault(source.cellId(), Map.of()).forEach(status::tableStopped);
        CellRunner runner = new CellRunner(source, destination, queue, capture, status);
        if (runners.putIfAbsent(source.cellId(), runner) != null) {
            throw new IllegalArgumentException("cell " + source.cellId() + " is already running");
        }
        runner.start();
    }

    /** Stops a cell's capture after what it handed over is applied; its slot is kept. */
    public void removeCell(String cellId, Duration timeout) throws InterruptedException {
        CellRunner runner = runners.get(cellId);
        if (runner != null) {
            runner.stop();
            runner.join(timeout);
            runners.remove(cellId);
        }
    }

    public List<CellReport> report() {
        List<CellReport> reports = new ArrayList<>();
        runners.values().forEach(runner -> reports.add(runner.status().report()));
        reports.sort((a, b) -> a.cellId().compareTo(b.cellId()));
        return reports;
    }

    /** Whether the single writer is running; while it is not, nothing is applied (liveness for /health). */
    public boolean applierAlive() {
        return applierThread.isAlive();
    }

    public int queuedTransactions() {
        return queue.size();
    }

    public long batches() {
        return applier.batches();
    }

    /** Drains and stops; safe to call more than once. */
    public void stop(Duration timeout) throws InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        log.info("stopping: draining {} queued transactions", queue.size());
        runners.values().forEach(CellRunner::stop);
        for (CellRunner runner : runners.values()) {
            runner.join(timeout);
        }
        applier.finish();
        applierThread.join(timeout);
        if (applierThread.isAlive()) {
            applierThread.interrupt();
            applierThread.join(Duration.ofSeconds(5));
        }
        log.info("stopped after {} batches", applier.batches());
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(60));
    }
}
