package io.cellpipe.core.pipeline;

import io.cellpipe.core.config.CaptureConfig;
import io.cellpipe.core.config.Credentials;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.Transaction;
import io.cellpipe.core.spi.CaptureException;
import io.cellpipe.core.spi.CellCheckpoint;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.Source;
import io.cellpipe.core.spi.SourceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one cell's {@link Source} on its own thread and restarts it with exponential backoff when
 * it fails, so one cell being down never stops another (invariant 2). Each run resumes from the
 * destination's checkpoint.
 */
final class CellRunner implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(CellRunner.class);
    private static final long OFFER_WAIT_MILLIS = 1000;

    private final Source source;
    private final Destination destination;
    private final TransactionQueue queue;
    private final CaptureConfig capture;
    private final CellStatus status;
    private volatile boolean running = true;
    /** Set by the applier when this cell's queued work was dropped: the current run must end. */
    private volatile boolean restartRequested;
    private volatile Thread thread;

    CellRunner(Source source, Destination destination, TransactionQueue queue, CaptureConfig capture, CellStatus status) {
        this.source = source;
        this.destination = destination;
        this.queue = queue;
        this.capture = capture;
        this.status = status;
    }

    String cellId() {
        return source.cellId();
    }

    CellStatus status() {
        return status;
    }

    void start() {
        thread = Thread.ofPlatform().name("cell-" + cellId()).start(this);
    }

    void stop() {
        running = false;
    }

    void join(Duration timeout) throws InterruptedException {
        Thread current = thread;
        if (current != null && !current.join(timeout)) {
            current.interrupt();
            current.join(Duration.ofSeconds(5));
        }
    }

    void requestRestart() {
        restartRequested = true;
    }

    @Override
    public void run() {
        while (running) {
            restartRequested = false;
            status.runStarted();
            try {
                source.run(new Context());
                if (running && !restartRequested) {
                    log.warn("{}: capture ended without being asked to; restarting", cellId());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                Duration backoff = backoff(status.attempts() + 1);
                boolean retriable = !(e instanceof CaptureException capture) || capture.retriable();
                // a driver's error can quote the connection URL; the message reaches /status, alerts and the log
                String message = Credentials.scrub(e.getMessage() == null ? e.toString() : e.getMessage());
                status.failed(message);
                status.state(retriable ? CellState.RETRYING : CellState.FAILED, message);
                if (retriable) {
                    // A cell that is down fails the same way on every attempt: the trace once is enough.
                    if (status.attempts() == 1 || !(e instanceof CaptureException)) {
                        log.warn("{}: {} (attempt {}; next try in {} s)", cellId(), message, status.attempts(), backoff.toSeconds(),
                                Credentials.scrubbed(e));
                    } else {
                        log.warn("{}: {} (attempt {}; next try in {} s)", cellId(), message, status.attempts(), backoff.toSeconds());
                    }
                } else {
                    log.error("{}: {} (needs an operator; checking again in {} s)", cellId(), message, backoff.toSeconds());
                }
            }
            if (!running || !sleep(backoff(status.attempts()))) {
                break;
            }
        }
        status.state(CellState.STOPPED, "stopped");
    }

    /** Doubles from retry_initial with each failure in a row, up to retry_max; reaching STREAMING resets it. */
    private Duration backoff(int attempts) {
        Duration backoff = capture.retryInitial().multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
        return backoff.compareTo(capture.retryMax()) > 0 ? capture.retryMax() : backoff;
    }

    private boolean sleep(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        try {
            while (running && System.nanoTime() < deadline) {
                Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private final class Context implements SourceContext {
        private final Optional<CellCheckpoint> checkpoint = destination.checkpoint(cellId());
        private final long epoch = queue.epoch(cellId());

        Context() {
            checkpoint.ifPresent(found -> status.appliedLsn(found.lsn()));
        }

        @Override
        public Optional<CellCheckpoint> checkpoint() {
            return checkpoint;
        }

        @Override
        public Destination destination() {
            return destination;
        }

        @Override
        public boolean offer(Transaction transaction) throws InterruptedException {
            return queue.offer(transaction, epoch, OFFER_WAIT_MILLIS);
        }

        @Override
        public Lsn durableLsn() {
            return status.appliedLsn();
        }

        @Override
        public boolean hasPending() {
            return queue.pendingCount(cellId()) > 0;
        }

        @Override
        public boolean running() {
            return running && !restartRequested;
        }

        @Override
        public void state(CellState state, String detail) {
            if (state == CellState.STREAMING) {
                status.recovered();
                destination.checkpoint(cellId()).ifPresent(found -> status.appliedLsn(found.lsn()));
            }
            status.state(state, detail);
            log.info("{}: {}", cellId(), detail);
        }

        @Override
        public void tableStopped(TableId table, String reason) {
            log.error("{}: table {} stopped; the cell's other tables keep loading. {}", cellId(), table, reason);
            status.tableStopped(table.qualified(), reason);
            destination.recordTableStopped(cellId(), table, reason);
        }

        @Override
        public void snapshotProgress(String table, long rowsDone, long rowsEstimated) {
            status.snapshotRows(table, rowsDone, rowsEstimated);
        }

        @Override
        public void currentAsOf(Instant sourceTime) {
            status.currentAsOf(sourceTime);
        }
    }
}
