package io.cellpipe.postgres;

import io.cellpipe.core.config.CaptureConfig;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.Transaction;
import io.cellpipe.core.privacy.ColumnPolicies;
import io.cellpipe.core.spi.SourceContext;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns one cell's replication stream (one thread, as PostgreSQL allows one consumer per slot):
 * reads pgoutput, hands committed transactions to the pipeline, sends heartbeats, and reports
 * to PostgreSQL as flushed only what the destination has made durable (invariant 1).
 */
final class ReplicationReader {
    private static final Logger log = LoggerFactory.getLogger(ReplicationReader.class);
    static final String HEARTBEAT_PREFIX = "cellpipe_heartbeat";
    private static final long IDLE_SLEEP_MILLIS = 5;
    private static final long STATUS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** How often an idle position is recorded in the destination, so the slot may be acknowledged up to it. */
    private static final long POSITION_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String cellId;
    private final CaptureConfig capture;
    private final Connection connection;
    private final Connection replication;
    private final CellCatalog catalog;
    private final String slot;
    private final String publication;
    private final ColumnPolicies policies;
    private final CellRowFilters rowFilters;
    private final ResyncWindows resyncs;
    private final PgoutputDecoder decoder = new PgoutputDecoder();

    private Lsn lastOffered = Lsn.ZERO;
    /** A position with nothing of ours before it left unapplied: a heartbeat, or an empty transaction. */
    private Lsn idlePosition = Lsn.ZERO;
    private Lsn lastReported = Lsn.ZERO;
    private long lastStatusNanos;
    private long lastHeartbeatNanos;
    private long lastPositionNanos;
    /** The commit time of the last transaction handed over, which a position's checkpoint keeps. */
    private Instant lastCommitTime;
    /** The cell's clock as of the latest heartbeat (or transaction with nothing for us) received; null once reported. */
    private Instant currentAsOf;
    /** What had been handed over when it arrived: once that is durable, the warehouse is current as of currentAsOf. */
    private Lsn currentAfter = Lsn.ZERO;

    ReplicationReader(String cellId, CaptureConfig capture, Connection connection, Connection replication, CellCatalog catalog, String slot,
            String publication, ColumnPolicies policies, CellRowFilters rowFilters, ResyncWindows resyncs) {
        this.policies = policies;
        this.rowFilters = rowFilters;
        this.resyncs = resyncs;
        this.cellId = cellId;
        this.capture = capture;
        this.connection = connection;
        this.replication = replication;
        this.catalog = catalog;
        this.slot = slot;
        this.publication = publication;
    }

    /** @param names the captured tables' names by OID at start, which a Relation message must match (else the table was renamed) */
    void stream(SourceContext context, Lsn start, int protocolVersion, java.util.Map<Integer, TableId> names) throws Exception {
        lastOffered = start;
        lastReported = start;
        lastCommitTime = context.checkpoint().map(io.cellpipe.core.spi.CellCheckpoint::commitTime).orElse(Instant.now());
        PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI().replicationStream().logical()
                .withSlotName(slot)
                .withStartPosition(LogSequenceNumber.valueOf(start.value()))
                .withSlotOption("proto_version", String.valueOf(protocolVersion))
                .withSlotOption("publication_names", publication)
                .withSlotOption("streaming", "on")
                .withSlotOption("messages", "true")
                .withStatusInterval((int) capture.statusInterval().toSeconds(), TimeUnit.SECONDS)
                .start();
        TransactionAssembler assembler = new TransactionAssembler(cellId, catalog, capture.spillDirectory(), capture.transactionMemory(), policies,
                rowFilters, names, (before, after) -> renamed(context, before, after));
        try {
            while (context.running()) {
                ByteBuffer message = stream.readPending();
                if (message == null) {
                    heartbeatIfDue();
                    reportIfDue(stream, context, false);
                    Thread.sleep(IDLE_SLEEP_MILLIS);
                    continue;
                }
                Transaction transaction = handle(assembler, decoder.decode(message), start);
                if (transaction != null) {
                    offer(stream, context, transaction);
                }
                reportIfDue(stream, context, false);
            }
            drain(stream, context);
        } finally {
            resyncs.close();
            assembler.close();
            stream.close();
        }
    }

    private Transaction handle(TransactionAssembler assembler, PgoutputMessage message, Lsn start) throws SQLException {
        if (message instanceof PgoutputMessage.Message logical && !logical.transactional() && HEARTBEAT_PREFIX.equals(logical.prefix())) {
            idlePosition = Lsn.max(idlePosition, logical.lsn());
            Instant sent = heartbeatTime(logical.content());
            if (sent != null) {
                confirmsCurrent(sent);
            }
            return null;
        }
        if (message instanceof PgoutputMessage.Message logical && ResyncWindows.isWatermark(logical)) {
            // a position like a heartbeat; at a chunk's high watermark, also the chunk
            idlePosition = Lsn.max(idlePosition, logical.lsn());
            return resyncs.reached(logical);
        }
        Transaction transaction = assembler.accept(message);
        if (transaction == null) {
            return null;
        }
        if (!transaction.commitLsn().isAfter(start) || transaction.changes().isEmpty()) {
            // A replay at or below the checkpoint, or a transaction with nothing for us.
            idlePosition = Lsn.max(idlePosition, transaction.commitLsn());
            if (transaction.commitLsn().isAfter(start)) {
                // on a busy cell whose writes are not captured, heartbeats are rare: these say as much
                confirmsCurrent(transaction.commitTime());
            }
            transaction.close();
            return null;
        }
        resyncs.observe(transaction);
        return transaction;
    }

    /** Once what was handed over so far is durable, the warehouse is current as of {@code time} (the cell's clock). */
    private void confirmsCurrent(Instant time) {
        if (currentAsOf == null || time.isAfter(currentAsOf)) {
            currentAsOf = time;
            currentAfter = lastOffered;
        }
    }

    /** Both names stop: the old one's rows are stale from here on, and the new one's must not load under rules written for the old. */
    private void renamed(SourceContext context, TableId before, TableId after) {
        String fix = " Its changes are no longer loaded, as tables.include/tables.exclude and privacy.columns name the old name. Update them"
                + " for " + after + ", then copy the cell again: cellpipe run --resnapshot " + cellId;
        context.tableStopped(before, "renamed to " + after + " in the cell while streaming." + fix);
        context.tableStopped(after, "renamed from " + before + " in the cell while streaming." + fix);
    }

    private void offer(PGReplicationStream stream, SourceContext context, Transaction transaction) throws Exception {
        while (!context.offer(transaction)) {
            // The pipeline is full: keep telling PostgreSQL we are alive, or wal_sender_timeout ends the stream.
            reportIfDue(stream, context, true);
            if (!context.running()) {
                transaction.close();
                return;
            }
        }
        lastOffered = transaction.commitLsn();
        if (transaction.resync() == null) {
            lastCommitTime = transaction.commitTime();
        }
    }

    private void reportIfDue(PGReplicationStream stream, SourceContext context, boolean force) throws SQLException {
        long now = System.nanoTime();
        if (!force && now - lastStatusNanos < STATUS_EVERY_NANOS) {
            return;
        }
        lastStatusNanos = now;
        Lsn durable = context.durableLsn();
        if (currentAsOf != null && durable.compareTo(currentAfter) >= 0) {
            context.currentAsOf(currentAsOf);
            currentAsOf = null;
        }
        if (durable.compareTo(lastOffered) >= 0 && idlePosition.isAfter(lastOffered) && now - lastPositionNanos >= POSITION_EVERY_NANOS
                && context.running()) {
            offerPosition(context);
            lastPositionNanos = now;
        }
        // Only what the destination recorded: a slot never confirms past the warehouse's checkpoint, so a
        // slot ahead of it means the warehouse is not the one that read the slot (PostgresSource checks).
        Lsn flushed = durable;
        if (flushed.isAfter(lastReported) || force) {
            LogSequenceNumber position = LogSequenceNumber.valueOf(Lsn.max(flushed, lastReported).value());
            stream.setFlushedLSN(position);
            stream.setAppliedLSN(position);
            stream.forceUpdateStatus();
            lastReported = Lsn.max(flushed, lastReported);
        }
    }

    /**
     * Hands the destination an empty transaction at the idle position (heartbeats, transactions with
     * nothing captured): it records the position as the cell's checkpoint, and only then is the slot
     * acknowledged up to it. When the pipeline is full it is left for the next report.
     */
    private void offerPosition(SourceContext context) {
        Transaction position = Transaction.position(cellId, idlePosition, lastCommitTime);
        try {
            if (context.offer(position)) {
                lastOffered = idlePosition;
            } else {
                position.close();
            }
        } catch (InterruptedException e) {
            position.close();
            Thread.currentThread().interrupt();
        }
    }

    private void heartbeatIfDue() throws SQLException {
        long now = System.nanoTime();
        if (now - lastHeartbeatNanos < capture.heartbeatInterval().toNanos()) {
            return;
        }
        lastHeartbeatNanos = now;
        // A WAL record in this database lets the slot advance even when no captured table changes,
        // so an idle cell does not hold back WAL (invariant 5).
        try (Statement statement = connection.createStatement()) {
            // The content is the cell's clock in microseconds: on receipt it tells up to when the cell is captured.
            statement.execute("SELECT pg_catalog.pg_logical_emit_message(false, '" + HEARTBEAT_PREFIX
                    + "', (extract(epoch FROM pg_catalog.clock_timestamp()) * 1000000)::bigint::text)");
        }
    }

    /** The send time of a heartbeat, or null for one without it (sent by an older version). */
    static Instant heartbeatTime(byte[] content) {
        try {
            long micros = Long.parseLong(new String(content, StandardCharsets.US_ASCII));
            return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** On stop: wait until what was handed over is durable, acknowledge it, then let go of the slot. */
    private void drain(PGReplicationStream stream, SourceContext context) throws Exception {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
        while (context.durableLsn().compareTo(lastOffered) < 0 && context.hasPending() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        reportIfDue(stream, context, true);
        log.info("{}: stream stopped; acknowledged up to {}", cellId, lastReported);
    }
}
