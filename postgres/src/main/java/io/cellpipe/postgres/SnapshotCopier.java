package io.cellpipe.postgres;

import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.privacy.TablePolicy;
import io.cellpipe.core.spi.BinaryForm;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.SnapshotLoad;
import io.cellpipe.core.spi.SourceContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a cell's tables as of the replication slot's exported snapshot, in parallel chunks of
 * heap pages ({@code ctid} ranges, which any table has, whatever its key). The exported snapshot
 * stays importable while the slot's replication connection runs no other command, which holds
 * until this returns and streaming starts. Column policies are applied to each row as it is
 * parsed; a dropped column is not even read. To a destination that takes binary tuples ({@link
 * SnapshotLoad#binary}) or CSV ({@link SnapshotLoad#csv}) a chunk goes as the bytes PostgreSQL
 * sends, only the fields of hashed and redacted columns read and written again. A chunk whose
 * binary tuples the destination refuses is copied again as CSV or rows.
 */
final class SnapshotCopier {
    private static final Logger log = LoggerFactory.getLogger(SnapshotCopier.class);
    private static final int ROWS_PER_LOAD = 20_000;

    private final String cellId;
    private final CellConnector connector;
    private final int parallelism;
    private final int chunkPages;

    /**
     * One ctid range of one storage relation; {@code endPage} < 0 means to the end. {@code policy}
     * maps the copied columns (those of its schema, in the source's names) onto the loaded table;
     * {@code rowFilter}, a SQL condition or null, selects the rows copied.
     */
    record Chunk(TablePolicy policy, TableId relation, long startPage, long endPage, String rowFilter) {
        /** The table as loaded. */
        TableSchema table() {
            return policy.schema();
        }

        String sql() {
            return sql(CopyFormat.TEXT);
        }

        /**
         * The chunk's {@code COPY} in {@code format} (PostgreSQL's defaults for each). In binary,
         * a column whose {@link BinaryForm} is its text is selected as its output function's text
         * ({@code format('%s', ...)}, NULL kept), unless its binary form already is that text.
         */
        String sql(CopyFormat format) {
            StringBuilder columns = new StringBuilder();
            for (Column column : policy.schema().columns()) {
                String name = TableId.quote(column.name());
                columns.append(columns.isEmpty() ? "" : ", ");
                if (format == CopyFormat.BINARY && BinaryForm.of(column.type()) == BinaryForm.TEXT && !BinaryForm.binaryIsText(column.type())) {
                    // not ::text, which some types cast with a function of their own (bpchar drops its padding, inet adds /32)
                    columns.append("CASE WHEN num_nulls(").append(name).append(") = 0 THEN format('%s', ").append(name).append(") END AS ")
                            .append(name);
                } else {
                    columns.append(name);
                }
            }
            String range = "ctid >= '(" + startPage + ",0)'::tid" + (endPage < 0 ? "" : " AND ctid < '(" + endPage + ",0)'::tid");
            String filter = rowFilter == null ? "" : " AND (" + rowFilter + ")";
            return "COPY (SELECT " + columns + " FROM ONLY " + relation.quoted() + " WHERE " + range + filter + ") TO STDOUT"
                    + switch (format) {
                        case TEXT -> "";
                        case CSV -> " (FORMAT csv)";
                        case BINARY -> " (FORMAT binary)";
                    };
        }
    }

    enum CopyFormat {
        TEXT, CSV, BINARY
    }

    SnapshotCopier(String cellId, CellConnector connector, int parallelism, int chunkPages) {
        this.cellId = cellId;
        this.connector = connector;
        this.parallelism = parallelism;
        this.chunkPages = chunkPages;
    }

    static List<Chunk> plan(TablePolicy table, String rowFilter, List<TableId> relations, CellCatalog catalog, int chunkPages)
            throws SQLException {
        List<Chunk> chunks = new ArrayList<>();
        for (TableId relation : relations) {
            long pages = catalog.pages(relation);
            long start = 0;
            while (start + chunkPages < pages) {
                chunks.add(new Chunk(table, relation, start, start + chunkPages, rowFilter));
                start += chunkPages;
            }
            chunks.add(new Chunk(table, relation, start, -1, rowFilter));
        }
        return chunks;
    }

    /**
     * Copies every chunk, reporting rows copied per table as they load against {@code estimates}
     * (rows per table, from PostgreSQL's statistics; 0 when unknown); returns rows copied per table.
     */
    java.util.Map<TableId, Long> copy(String snapshotName, List<Chunk> chunks, java.util.Map<TableId, Long> estimates,
            SourceContext context) throws Exception {
        ConcurrentLinkedQueue<Chunk> pending = new ConcurrentLinkedQueue<>(chunks);
        java.util.Map<TableId, Long> rowsByTable = new ConcurrentHashMap<>();
        Progress progress = new Progress(context, estimates);
        chunks.forEach(chunk -> progress.add(chunk.table().id(), 0));
        AtomicLong totalRows = new AtomicLong();
        int workers = Math.max(1, Math.min(parallelism, chunks.size()));
        ExecutorService executor = Executors.newFixedThreadPool(workers, Thread.ofPlatform().name(cellId + "-snapshot-", 0).factory());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                futures.add(executor.submit(() -> {
                    work(snapshotName, pending, context, progress, rowsByTable, totalRows);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            executor.shutdownNow();
        }
        return rowsByTable;
    }

    private void work(String snapshotName, ConcurrentLinkedQueue<Chunk> pending, SourceContext context, Progress progress,
            java.util.Map<TableId, Long> rowsByTable, AtomicLong totalRows) throws Exception {
        try (Connection connection = connector.open()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                statement.execute("SET TRANSACTION SNAPSHOT '" + snapshotName.replace("'", "''") + "'");
            }
            CopyTextParser parser = new CopyTextParser();
            Destination destination = context.destination();
            Chunk chunk;
            while ((chunk = pending.poll()) != null && context.running()) {
                long rows = copyChunk(connection, chunk, parser, destination, progress);
                rowsByTable.merge(chunk.table().id(), rows, Long::sum);
                long total = totalRows.addAndGet(rows);
                log.debug("{}: snapshot chunk {} pages {}..{} copied {} rows ({} in all)", cellId, chunk.relation(), chunk.startPage(),
                        chunk.endPage(), rows, total);
            }
            connection.commit();
        }
    }

    /** The copy selected the kept columns only, in the loaded table's order: only values need mapping. */
    private static RowImage transformed(TablePolicy policy, String[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = policy.apply(i, values[i]);
        }
        return new RowImage(values, null);
    }

    /**
     * One chunk is one load: the destination may write it as one unit, which it commits once the
     * chunk is read. Binary tuples if the destination takes them; if it refuses one, the load is
     * discarded and the chunk copied again, as CSV or rows, in the same snapshot.
     */
    private long copyChunk(Connection connection, Chunk chunk, CopyTextParser parser, Destination destination, Progress progress)
            throws SQLException {
        try (SnapshotLoad load = destination.openSnapshotLoad(cellId, chunk.table())) {
            Optional<SnapshotLoad.BinaryRows> binary = load.binary();
            if (binary.isEmpty()) {
                return copyText(connection, chunk, parser, load, progress);
            }
            long rows;
            try {
                rows = copyBinary(connection, chunk, binary.get(), progress);
            } catch (IllegalStateException e) {
                throw new IllegalStateException(cellId + ": cannot read PostgreSQL's binary COPY of " + chunk.relation() + " pages "
                        + chunk.startPage() + ".." + chunk.endPage() + " (" + e.getMessage() + "); this is a bug in cellpipe: the snapshot"
                        + " will be retried, and nothing of the chunk was written", e);
            }
            if (rows >= 0) {
                load.commit();
                log.debug("{}: snapshot chunk {} pages {}..{}: {} rows as binary tuples", cellId, chunk.relation(), chunk.startPage(),
                        chunk.endPage(), rows);
                return rows;
            }
        }
        log.debug("{}: snapshot chunk {} pages {}..{} refused as binary tuples, copied again as text", cellId, chunk.relation(),
                chunk.startPage(), chunk.endPage());
        try (SnapshotLoad load = destination.openSnapshotLoad(cellId, chunk.table())) {
            return copyText(connection, chunk, parser, load, progress);
        }
    }

    private long copyText(Connection connection, Chunk chunk, CopyTextParser parser, SnapshotLoad load, Progress progress)
            throws SQLException {
        Optional<OutputStream> csv = load.csv();
        long rows = csv.isPresent() ? copyCsv(connection, chunk, csv.get(), progress) : copyRows(connection, chunk, parser, load, progress);
        load.commit();
        return rows;
    }

    /**
     * PostgreSQL's binary tuples, passed on as they arrive (one {@code CopyData} message per
     * tuple, the first after the file header, the trailer alone), hashed and redacted fields
     * rewritten. Returns the rows copied, or -1 when the load refused one: the rest of the copy is
     * then read and dropped, and the rows reported so far taken back.
     */
    private static long copyBinary(Connection connection, Chunk chunk, SnapshotLoad.BinaryRows binary, Progress progress)
            throws SQLException {
        CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(chunk.sql(CopyFormat.BINARY));
        BinaryPolicyRewriter rewriter = chunk.policy().keepsEveryValue() ? null : new BinaryPolicyRewriter(chunk.policy());
        long rows = 0;
        boolean header = true;
        boolean refused = false;
        byte[] message;
        while ((message = copy.readFromCopy()) != null) {
            if (refused) {
                continue;
            }
            int offset = header ? BinaryCopyHeader.length(message) : 0;
            header = false;
            int length = message.length - offset;
            if (length == 2 && message[offset] == -1 && message[offset + 1] == -1) {
                continue;
            }
            byte[] tuple = message;
            if (rewriter != null) {
                tuple = rewriter.rewrite(message, offset, length);
                offset = 0;
                length = tuple.length;
            }
            if (!binary.add(tuple, offset, length)) {
                refused = true;
                progress.add(chunk.table().id(), -(rows - rows % ROWS_PER_LOAD));
                continue;
            }
            if (++rows % ROWS_PER_LOAD == 0) {
                progress.add(chunk.table().id(), ROWS_PER_LOAD);
            }
        }
        if (refused) {
            return -1;
        }
        progress.add(chunk.table().id(), rows % ROWS_PER_LOAD);
        return rows;
    }

    private long copyRows(Connection connection, Chunk chunk, CopyTextParser parser, SnapshotLoad load, Progress progress)
            throws SQLException {
        CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(chunk.sql());
        int columns = chunk.table().columns().size();
        long rows = 0;
        List<RowImage> batch = new ArrayList<>(ROWS_PER_LOAD);
        byte[] row;
        while ((row = copy.readFromCopy()) != null) {
            batch.add(transformed(chunk.policy(), parser.parse(row, columns)));
            rows++;
            if (batch.size() == ROWS_PER_LOAD) {
                load.add(batch);
                progress.add(chunk.table().id(), batch.size());
                batch = new ArrayList<>(ROWS_PER_LOAD);
            }
        }
        if (!batch.isEmpty()) {
            load.add(batch);
            progress.add(chunk.table().id(), batch.size());
        }
        return rows;
    }

    /** PostgreSQL's CSV, passed on as it arrives (one {@code CopyData} message per row), hashed and redacted fields rewritten. */
    private static long copyCsv(Connection connection, Chunk chunk, OutputStream csv, Progress progress) throws SQLException {
        CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(chunk.sql(CopyFormat.CSV));
        CsvPolicyRewriter rewriter = chunk.policy().keepsEveryValue() ? null : new CsvPolicyRewriter(chunk.policy());
        long rows = 0;
        byte[] row;
        try {
            while ((row = copy.readFromCopy()) != null) {
                if (rewriter == null) {
                    csv.write(row);
                } else {
                    rewriter.write(row, csv);
                }
                if (++rows % ROWS_PER_LOAD == 0) {
                    progress.add(chunk.table().id(), ROWS_PER_LOAD);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        progress.add(chunk.table().id(), rows % ROWS_PER_LOAD);
        return rows;
    }

    /** Rows loaded per table, shared by the workers, reported to the pipeline as they grow. */
    private record Progress(SourceContext context, java.util.Map<TableId, Long> estimates, java.util.Map<TableId, AtomicLong> loaded) {
        Progress(SourceContext context, java.util.Map<TableId, Long> estimates) {
            this(context, estimates, new ConcurrentHashMap<>());
        }

        /** Adds and reports under the table's counter, so that a worker's older count never overwrites a newer one's. */
        void add(TableId table, long rows) {
            AtomicLong counter = loaded.computeIfAbsent(table, t -> new AtomicLong());
            long estimate = estimates.getOrDefault(table, 0L);
            synchronized (counter) {
                context.snapshotProgress(table.qualified(), counter.addAndGet(rows), estimate > 0 ? estimate : -1);
            }
        }
    }
}
