package io.cellpipe.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.privacy.TablePolicy;
import io.cellpipe.core.spi.CaptureException;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.Resync;
import io.cellpipe.core.spi.SourceContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a cell's resync requests while its stream runs, one table at a time, in key-ordered chunks
 * (DBLog): low watermark, read the chunk, high watermark, then wait until the capture thread has handed
 * the chunk over before reading the next. Requests come from the destination, which also keeps their
 * progress (written with each chunk), so a restarted cell resumes each after its last durable chunk.
 */
final class ResyncWorker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ResyncWorker.class);
    private static final long POLL_MILLIS = 500;
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PostgresSourceOptions options;
    private final CellConnector connector;
    private final String slot;
    private final ResyncWindows windows;
    private final CellRowFilters rowFilters;
    private final SourceContext context;
    private volatile boolean stopped;

    ResyncWorker(PostgresSourceOptions options, CellConnector connector, String slot, ResyncWindows windows, CellRowFilters rowFilters,
            SourceContext context) {
        this.options = options;
        this.rowFilters = rowFilters;
        this.connector = connector;
        this.slot = slot;
        this.windows = windows;
        this.context = context;
    }

    private String cellId() {
        return options.cell().id();
    }

    void stop() {
        stopped = true;
    }

    /** The resync being worked on, for counting a failure that ends this worker. */
    private volatile String current;

    private boolean running() {
        return !stopped && context.running();
    }

    @Override
    public void run() {
        try (Connection connection = connector.open()) {
            CellCatalog catalog = new CellCatalog(connection);
            while (running()) {
                Optional<Resync> next = next(context.destination());
                if (next.isEmpty()) {
                    Thread.sleep(POLL_MILLIS);
                    continue;
                }
                Resync resync = next.get();
                current = resync.id();
                try {
                    if (resync.everyTable()) {
                        expand(catalog, resync);
                    } else {
                        run(connection, catalog, resync);
                    }
                } catch (ResyncFailure e) {
                    log.error("{}: resync {} of {} failed: {}", cellId(), resync.id(), resync.table(), e.getMessage());
                    context.destination().finishResync(resync.id(), Resync.State.FAILED, e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (running()) {
                // the cell's stream most likely failed the same way; the next run resumes from the warehouse's progress
                log.warn("{}: resync stopped: {}; it resumes after its last loaded chunk when the cell runs again", cellId(), e.getMessage());
                if (current != null && context.destination().recordResyncFailure(current, "reading a chunk failed: " + e.getMessage())) {
                    log.error("{}: resync {} given up after {} failed attempts: {}", cellId(), current, Resync.MAX_FAILED_ATTEMPTS, e.getMessage());
                }
            }
        }
    }

    private Optional<Resync> next(Destination destination) {
        return destination.resyncs().stream().filter(resync -> resync.cellId().equals(cellId()) && !resync.state().finished()).findFirst();
    }

    /** A whole-cell request becomes one request per captured table. */
    private void expand(CellCatalog catalog, Resync resync) throws SQLException {
        List<CellCatalog.CatalogTable> tables = catalog.tables(options.tables());
        for (CellCatalog.CatalogTable table : tables) {
            context.destination().requestResync(Resync.request(cellId(), table.id().qualified(), null, resync.chunkRows(),
                    "every table of the cell" + (resync.detail() == null ? "" : ": " + resync.detail())));
        }
        context.destination().finishResync(resync.id(), Resync.State.DONE,
                (resync.detail() == null ? "" : resync.detail() + "; ") + "split into " + tables.size() + " table resyncs");
        log.info("{}: resync of every table: {} tables queued{}", cellId(), tables.size(), resync.detail() == null ? "" : " (" + resync.detail() + ")");
    }

    private void run(Connection connection, CellCatalog catalog, Resync resync) throws Exception {
        TableId id = TableId.parse(resync.table());
        CellCatalog.CatalogTable table = catalog.tables(options.tables()).stream().filter(candidate -> candidate.id().equals(id)).findFirst()
                .orElseThrow(() -> new ResyncFailure("table " + id + " is not captured from this cell (it does not exist, or"
                        + " tables.include/tables.exclude leave it out)"));
        String stopped = context.destination().stoppedTables().getOrDefault(cellId(), java.util.Map.of()).get(id.qualified());
        if (stopped != null) {
            // its rows would be dropped on the way in, and the last chunk would then mark every one of them deleted
            throw new ResyncFailure("table " + id + " is stopped (" + stopped + "), so its rows are not applied and a resync cannot"
                    + " repair it; fix the cause, then copy the cell again: cellpipe run --resnapshot " + cellId());
        }
        TablePolicy policy;
        try {
            policy = options.policies().forTable(catalog.schema(table));
        } catch (CaptureException e) {
            throw new ResyncFailure(e.getMessage());
        }
        if (!policy.source().hasKey()) {
            throw new ResyncFailure("table " + id + " has no primary key (nor replica identity index) to read it in chunks by;"
                    + " copy the cell again instead: cellpipe run --resnapshot " + cellId());
        }
        boolean keyKept = keyKept(policy);
        if (resync.range() != null && !keyKept) {
            throw new ResyncFailure("a key range needs the key columns of " + id + " kept in the warehouse, but a privacy policy hashes or"
                    + " redacts one, so the warehouse cannot tell which of its rows the range holds; resync the whole table instead");
        }
        List<String> after = keyKept ? decode(resync.lastKey()) : null;
        long rowsDone = after == null ? 0 : resync.rowsDone();
        Lsn since = resync.since();
        ChunkQuery query;
        try {
            query = new ChunkQuery(policy, resync.range(), rowFilters.sql(id), resync.chunkRows());
        } catch (IllegalArgumentException e) {
            throw new ResyncFailure(e.getMessage());
        }
        long started = System.nanoTime();
        long startRows = rowsDone;
        long lastReport = started;
        long leftToTheStream = 0;
        log.info("{}: resync {} of {}{} {}", cellId(), resync.id(), id, resync.range() == null ? "" : " " + resync.range(),
                after == null ? "starts" : "resumes after " + rowsDone + " rows");
        while (running()) {
            ResyncChunk chunk = new ResyncChunk(UUID.randomUUID().toString(), policy.schema());
            windows.register(chunk);
            ChunkQuery.Rows rows;
            try {
                Watermarks.low(connection, slot, chunk.id());
                try {
                    rows = query.read(connection, after);
                } catch (SQLException e) {
                    // 42: the table or a column is gone; 22: a key bound is not a value of its column's type
                    String sqlClass = e.getSQLState() == null ? "" : e.getSQLState().substring(0, 2);
                    if (sqlClass.equals("42") || sqlClass.equals("22")) {
                        throw new ResyncFailure("reading " + id + (resync.range() == null ? "" : " " + resync.range()) + " failed: "
                                + e.getMessage());
                    }
                    throw e;
                }
                boolean last = rows.rows().size() < resync.chunkRows();
                long done = rowsDone + rows.rows().size();
                List<String> lastKey = rows.lastKey() != null ? rows.lastKey() : after;
                chunk.fill(rows.rows(), new ResyncChunk.ProgressTemplate(resync.id(), since, keyKept ? encode(lastKey) : null, done, last,
                        resync.range()));
                Watermarks.high(connection, slot, chunk.id());
                Lsn position = await(chunk);
                leftToTheStream += chunk.dropped();
                if (since == null) {
                    since = chunk.low();
                }
                rowsDone = done;
                after = lastKey;
                if (last) {
                    // the next request is chosen by what the destination has recorded, which this chunk finishes
                    awaitDurable(position);
                    double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
                    log.info("{}: resync {} of {} read {} rows in {} s ({} rows/s), {} of them left to the stream, which changed them"
                            + " meanwhile; rows the cell no longer has are marked deleted", cellId(), resync.id(), id, rowsDone - startRows,
                            String.format("%.1f", seconds), Math.round((rowsDone - startRows) / seconds), leftToTheStream);
                    return;
                }
            } finally {
                windows.unregister(chunk);
            }
            if (System.nanoTime() - lastReport > PROGRESS_EVERY_NANOS) {
                lastReport = System.nanoTime();
                double seconds = Math.max(1e-3, (lastReport - started) / 1e9);
                log.info("{}: resync {} of {}: {} rows ({} rows/s), {} rows of the last chunk changed meanwhile and came from the stream",
                        cellId(), resync.id(), id, rowsDone, Math.round((rowsDone - startRows) / seconds), chunk.dropped());
            }
        }
    }

    private void awaitDurable(Lsn position) throws InterruptedException {
        while (running() && context.durableLsn().compareTo(position) < 0) {
            Thread.sleep(20);
        }
        if (!running()) {
            throw new InterruptedException("stopping");
        }
    }

    /** Waits until the capture thread handed the chunk over (it may be behind the cell's WAL); returns its position. */
    private Lsn await(ResyncChunk chunk) throws Exception {
        while (running()) {
            try {
                return chunk.handled().get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // keep waiting while the cell runs
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        throw new InterruptedException("stopping");
    }

    /** A key a policy hashes is not written to the warehouse in clear, so such a resync cannot resume midway. */
    private static boolean keyKept(TablePolicy policy) {
        for (int i = 0; i < policy.schema().columns().size(); i++) {
            Column column = policy.schema().columns().get(i);
            if (column.key() && !policy.keepsValue(i)) {
                return false;
            }
        }
        return true;
    }

    static String encode(List<String> key) {
        try {
            return key == null ? null : JSON.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> decode(String key) {
        try {
            return key == null ? null : JSON.readValue(key, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new ResyncFailure("the recorded last key " + "cannot be read (" + e.getOriginalMessage() + ")");
        }
    }

    /** A resync that cannot go on (its table, its predicate); it is recorded failed, and the cell goes on streaming. */
    static final class ResyncFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ResyncFailure(String message) {
            super(message);
        }
    }
}
