package io.cellpipe.postgres;

import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.privacy.TablePolicy;
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
 * parsed; a dropped column is not even read. To a destination that takes CSV ({@link
 * SnapshotLoad#csv}) a chunk goes as the bytes PostgreSQL sends, only the fields of hashed and
 * redacted columns read and written again.
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
            return sql(false);
        }

        /** The chunk's {@code COPY}, in PostgreSQL's CSV format (its defaults) or its text format. */
        String sql(boolean csv) {
            StringBuilder columns = new StringBuilder();
            for (Column column : policy.schema().columns()) {
                columns.append(columns.isEmpty() ? "" : ", ").append(TableId.quote(column.name()));
            }
            String range = "ctid >= '(" + startPage + ",0)'::tid" + (endPage < 0 ? "" : " AND ctid < '(" + endPage + ",0)'::tid");
            String filter = rowFilter == null ? "" : " AND (" + rowFilter + ")";
            return "COPY (SELECT " + columns + " FROM ONLY " + relation.quoted() + " WHERE " + range + filter + ") TO STDOUT"
                    + (csv ? " (FORMAT csv)" : "");
        }
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

    /** One chunk is one load: the destination may write it as one unit, which it commits once the chunk is read. */
    private long copyChunk(Connection connection, Chunk chunk, CopyTextParser parser, Destination destination, Progress progress)
            throws SQLException {
        try (SnapshotLoad load = destination.openSnapshotLoad(cellId, chunk.table())) {
            Optional<OutputStream> csv = load.csv();
            long rows = csv.isPresent() ? copyCsv(connection, chunk, csv.get(), progress) : copyRows(connection, chunk, parser, load, progress);
            load.commit();
            return rows;
        }
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
        CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(chunk.sql(true));
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

        void add(TableId table, long rows) {
            long done = loaded.computeIfAbsent(table, t -> new AtomicLong()).addAndGet(rows);
            long estimate = estimates.getOrDefault(table, 0L);
            context.snapshotProgress(table.qualified(), done, estimate > 0 ? estimate : -1);
        }
    }
}
