package io.cellpipe.duckdb;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.Operation;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.spi.SnapshotLoad;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot rows of one table of one cell in one DuckDB transaction on a connection of its own,
 * committed together. Large transactions are what makes DuckDB write rows once: from a full row
 * group on, it writes appended rows straight into the database file, compressed, where rows
 * committed in small transactions go through its write-ahead log and are compressed again by a
 * later checkpoint. A source may hand the rows over as PostgreSQL's binary {@code COPY} tuples
 * ({@link #binary}), whose values Java reads into the appender ({@link BinaryTupleReader}) without
 * text in between. Or it may write them as CSV ({@link #csv}) to a temporary file beside the
 * warehouse, which DuckDB loads at the commit ({@link CsvSnapshotInsert}). Rows added as values
 * go straight into the table ({@link DirectSnapshotAppend}) while Java reads their values, and are
 * staged and cast by DuckDB from the first value it does not. Holds the data lock's shared side
 * from open to commit or close, so the same thread must end it.
 */
final class ChunkLoad implements SnapshotLoad {
    private static final Logger log = LoggerFactory.getLogger(ChunkLoad.class);
    private static final int CSV_ROWS_PER_ADD = 20_000;
    /** Cell and table of the loads whose CSV DuckDB refused, so the first refusal of each is logged at info. */
    private static final java.util.Set<String> CSV_REFUSED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Warehouse warehouse;
    private final String cellId;
    private final TableSchema schema;
    private final TableBinding binding;
    private final WarehouseTable table;
    private final Lock dataLock;
    private final DuckDBConnection connection;
    private final Set<TableId> staged;
    private final Set<CellTable> binaryRefused;
    private final CommitStamp stamp;
    private long uploadedMicros;
    private DirectSnapshotAppend direct;
    private Path csvFile;
    private CsvOutput csvOutput;
    private CsvSnapshotInsert csvInsert;
    private boolean csvReadInJava;
    private BinaryInput binaryInput;
    private DuckDBAppender appender;
    private StagingTable staging;
    private long rows;
    private boolean ended;

    private ChunkLoad(Warehouse warehouse, String cellId, TableSchema schema, TableBinding binding, WarehouseTable table, Lock dataLock,
            DuckDBConnection connection, Set<TableId> staged, Set<CellTable> binaryRefused, long uploadedMicros) {
        this.warehouse = warehouse;
        this.cellId = cellId;
        this.schema = schema;
        this.binding = binding;
        this.table = table;
        this.dataLock = dataLock;
        this.connection = connection;
        this.staged = staged;
        this.binaryRefused = binaryRefused;
        this.stamp = CommitStamp.snapshot(cellId);
        this.uploadedMicros = uploadedMicros;
        this.direct = staged.contains(table.id()) ? null : DirectSnapshotAppend.of(table).orElse(null);
    }

    /**
     * @param staged tables whose rows are staged, shared by every load; a load that has to stage adds its table
     * @param binaryRefused tables of cells with a binary value a load did not read, shared likewise: their loads no longer take
     *     binary tuples
     */
    static ChunkLoad open(Warehouse warehouse, WarehouseCatalog catalog, String cellId, TableSchema schema, Set<TableId> staged,
            Set<CellTable> binaryRefused) {
        // binding may change the table, which DuckDB refuses inside a transaction writing to it, and takes the lock's other side
        TableBinding binding = catalog.bind(cellId, schema);
        Lock dataLock = catalog.dataLock();
        dataLock.lock();
        DuckDBConnection connection = null;
        try {
            connection = warehouse.session();
            WarehouseTable table = catalog.table(schema.id()).orElseThrow();
            SqlTransaction.execute(connection, "BEGIN TRANSACTION");
            return new ChunkLoad(warehouse, cellId, schema, binding, table, dataLock, connection, staged, binaryRefused,
                    SqlTransaction.startMicros(connection));
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection, e);
            dataLock.unlock();
            if (e instanceof SQLException sql) {
                throw failure("begin loading snapshot rows of", sql, warehouse, cellId, schema);
            }
            throw (RuntimeException) e;
        }
    }

    /** Whether rows added now go straight into the table (false once a value sent them to staging, or for a table that never can). */
    boolean appendsDirectly() {
        return direct != null;
    }

    @Override
    public void add(List<RowImage> images) {
        if (ended) {
            throw new IllegalStateException("rows added to a snapshot load that has ended; this is a bug in cellpipe");
        }
        if (csvOutput != null || binaryInput != null) {
            throw new IllegalStateException("rows added to a snapshot load that takes them as CSV or binary; this is a bug in cellpipe");
        }
        try {
            int appended = 0;
            if (direct != null) {
                if (appender == null) {
                    appender = connection.createAppender(table.id().schema(), table.id().name());
                }
                appended = direct.append(appender, cellId, binding, images, stamp, uploadedMicros);
                if (appended < images.size()) {
                    log.debug("{}: {} has a value only DuckDB's cast reads; its snapshot rows are staged and cast from now on", cellId,
                            table.id());
                    direct = null;
                    staged.add(table.id());
                }
            }
            if (appended < images.size()) {
                stage(images.subList(appended, images.size()));
            }
            rows += images.size();
        } catch (SQLException e) {
            throw failure("load " + images.size() + " snapshot rows of", e, warehouse, cellId, schema);
        }
    }

    /** Whether DuckDB refused the load's CSV, so its rows were read in Java. */
    boolean readCsvInJava() {
        return csvReadInJava;
    }

    /** A temporary file beside the warehouse, for a load whose rows have not been added some other way and whose shape DuckDB's CSV load takes. */
    @Override
    public Optional<OutputStream> csv() {
        if (ended) {
            throw new IllegalStateException("CSV asked of a snapshot load that has ended; this is a bug in cellpipe");
        }
        if (csvOutput != null) {
            return Optional.of(csvOutput);
        }
        if (rows > 0 || csvFile != null || binaryInput != null) {
            return Optional.empty();
        }
        Optional<CsvSnapshotInsert> insert = CsvSnapshotInsert.of(binding);
        if (insert.isEmpty()) {
            return Optional.empty();
        }
        Path directory = warehouse.path().toAbsolutePath().getParent();
        try {
            csvFile = SnapshotFiles.create(warehouse.path());
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(csvFile), 1 << 16);
            csvOutput = new CsvOutput(out);
            out.write(insert.get().header().getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            deleteCsvFile();
            throw new WarehouseException(cellId + ": cannot create a temporary file for snapshot rows of " + schema.id() + " in "
                    + directory + " (" + e + "); the warehouse's directory must be writable and have room for a chunk of the table", e);
        }
        csvInsert = insert.get();
        return Optional.of(csvOutput);
    }

    /**
     * The appender of a load whose rows have not been added some other way, for a shape whose
     * every column {@link BinaryTupleReader} reads, unless a value of the table was refused before.
     */
    @Override
    public Optional<BinaryRows> binary() {
        if (ended) {
            throw new IllegalStateException("binary asked of a snapshot load that has ended; this is a bug in cellpipe");
        }
        if (binaryInput != null) {
            return Optional.of(binaryInput);
        }
        if (rows > 0 || csvFile != null || !table.inCreatedOrder() || binaryRefused.contains(new CellTable(cellId, table.id()))) {
            return Optional.empty();
        }
        Optional<BinaryTupleReader> reader = BinaryTupleReader.of(binding);
        if (reader.isEmpty()) {
            return Optional.empty();
        }
        try {
            appender = connection.createAppender(table.id().schema(), table.id().name());
        } catch (SQLException e) {
            throw failure("begin loading snapshot rows of", e, warehouse, cellId, schema);
        }
        binaryInput = new BinaryInput(reader.get());
        return Optional.of(binaryInput);
    }

    /** Loads the CSV file into the table; from a value DuckDB refuses, reads the file's rows in Java instead. */
    private void loadCsv() throws SQLException {
        CsvOutput output = csvOutput;
        csvOutput = null;
        output.finish();
        SQLException refused;
        try (Statement statement = connection.createStatement()) {
            long inserted = statement.executeUpdate(csvInsert.sql(csvFile, stamp));
            if (inserted != output.rows()) {
                throw new SQLException("DuckDB read " + inserted + " rows from CSV of " + output.rows() + " rows");
            }
            rows += inserted;
            return;
        } catch (SQLException e) {
            refused = e;
            // once per table at info: a refusal of every chunk (e.g. rows longer than DuckDB's 2 MB line limit) slows the snapshot
            boolean first = CSV_REFUSED.add(cellId + "\u0000" + table.id());
            String message = "{}: DuckDB did not load a chunk of {}'s snapshot rows as CSV ({}); its rows are read in the capture"
                    + " process instead, which is slower but stores the same values";
            if (first) {
                log.info(message, cellId, table.id(), e.getMessage());
            } else {
                log.debug(message, cellId, table.id(), e.getMessage());
            }
        }
        try {
            // DuckDB aborted the transaction at the error; nothing of this load was in it but the failed statement
            SqlTransaction.execute(connection, "ROLLBACK");
            SqlTransaction.execute(connection, "BEGIN TRANSACTION");
            uploadedMicros = SqlTransaction.startMicros(connection);
        } catch (SQLException e) {
            e.addSuppressed(refused);
            throw e;
        }
        csvReadInJava = true;
        try (InputStream in = Files.newInputStream(csvFile)) {
            PostgresCsvReader reader = new PostgresCsvReader(in, binding.size());
            // the header line
            reader.next();
            List<RowImage> batch = new ArrayList<>(CSV_ROWS_PER_ADD);
            RowImage row;
            while ((row = reader.next()) != null) {
                batch.add(row);
                if (batch.size() == CSV_ROWS_PER_ADD) {
                    add(batch);
                    batch = new ArrayList<>(CSV_ROWS_PER_ADD);
                }
            }
            add(batch);
        } catch (IOException e) {
            WarehouseException failure = new WarehouseException(cellId + ": cannot read back the snapshot rows of " + schema.id()
                    + " from the temporary file " + csvFile + ": " + e.getMessage(), e);
            failure.addSuppressed(refused);
            throw failure;
        } catch (RuntimeException e) {
            e.addSuppressed(refused);
            throw e;
        }
    }

    private void deleteCsvFile() {
        if (csvOutput != null) {
            csvOutput.abandon();
            csvOutput = null;
        }
        if (csvFile != null) {
            try {
                Files.deleteIfExists(csvFile);
            } catch (IOException e) {
                log.warn("{}: cannot delete the temporary snapshot file {} ({}); it holds a chunk of {} and may be deleted by hand", cellId,
                        csvFile, e.getMessage(), schema.id());
            }
        }
    }

    /** The text staged and cast into the table by DuckDB, in this load's transaction. */
    private void stage(List<RowImage> images) throws SQLException {
        if (appender != null) {
            appender.close();
            appender = null;
        }
        if (staging == null) {
            staging = new StagingTable("cellpipe_snapshot");
            staging.prepare(connection, table.width());
        }
        AppendBuffer buffer = new AppendBuffer(table, staging);
        try {
            for (RowImage image : images) {
                buffer.add(new Change(schema, Operation.READ, null, image), binding, stamp);
            }
        } catch (IllegalArgumentException e) {
            throw WriteFailure.unreadableValue(e, schema.id(), cellId);
        }
        buffer.flush(connection);
    }

    @Override
    public void commit() {
        if (ended) {
            throw new IllegalStateException("a snapshot load committed after it ended; this is a bug in cellpipe");
        }
        try {
            if (csvOutput != null) {
                loadCsv();
            }
            if (appender != null) {
                appender.close();
                appender = null;
            }
            SqlTransaction.execute(connection, "COMMIT");
            ended = true;
        } catch (SQLException e) {
            throw failure("commit " + rows + " snapshot rows of", e, warehouse, cellId, schema);
        } finally {
            deleteCsvFile();
            if (ended) {
                release(null);
            }
        }
    }

    @Override
    public void close() {
        if (ended) {
            return;
        }
        ended = true;
        deleteCsvFile();
        WarehouseException failure = null;
        try {
            if (appender != null) {
                appender.close();
            }
        } catch (SQLException e) {
            // the rows are being discarded; only the rollback matters
        }
        try {
            SqlTransaction.execute(connection, "ROLLBACK");
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                failure = failure("discard the uncommitted snapshot rows of", e, warehouse, cellId, schema);
            }
        }
        release(failure);
    }

    private void release(WarehouseException failure) {
        closeQuietly(connection, failure);
        dataLock.unlock();
        if (failure != null) {
            throw failure;
        }
    }

    private static void closeQuietly(DuckDBConnection connection, Throwable failure) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }

    /** A table as one cell fills it. */
    record CellTable(String cellId, TableId table) {
        CellTable {
            requireNonNull(cellId, "cellId is null");
            requireNonNull(table, "table is null");
        }
    }

    /** Binary tuples read into the appender; from a value not read, refuses this tuple and every later one. */
    private final class BinaryInput implements BinaryRows {
        private final BinaryTupleReader reader;
        private final RowSlots values = new RowSlots(table.width());
        private final DirectSnapshotAppend.RowMetadata metadata = DirectSnapshotAppend.RowMetadata.of(cellId, stamp, uploadedMicros);
        private boolean refused;

        BinaryInput(BinaryTupleReader reader) {
            this.reader = reader;
        }

        @Override
        public boolean add(byte[] tuple, int offset, int length) {
            if (ended || refused) {
                throw new IllegalStateException("a binary tuple added to a snapshot load that " + (ended ? "has ended" : "refused one")
                        + "; this is a bug in cellpipe");
            }
            boolean read;
            try {
                read = reader.read(tuple, offset, length, values);
            } catch (IllegalArgumentException e) {
                throw new WarehouseException(cellId + ": a snapshot row of " + schema.id() + " is not a binary COPY tuple of the table's "
                        + binding.size() + " columns (" + e.getMessage() + "); this is a bug in cellpipe", e);
            }
            if (!read) {
                refused = true;
                if (binaryRefused.add(new CellTable(cellId, table.id()))) {
                    Column column = schema.columns().get(reader.refusedColumn());
                    log.info("{}: a snapshot row of {} has a value of column {} ({}) that the capture process does not read from"
                            + " PostgreSQL's binary form as DuckDB would read its text (e.g. infinity, a date outside years 1 to 9999, NaN"
                            + " in a decimal, text that is not UTF-8); the table's rows from this cell are copied as text from now on, which"
                            + " is slower but stores the same values", cellId, table.id(), column.name(), column.type().sourceType());
                }
                return false;
            }
            try {
                DirectSnapshotAppend.appendRow(appender, metadata, values);
            } catch (SQLException e) {
                throw failure("load a snapshot row of", e, warehouse, cellId, schema);
            }
            rows++;
            return true;
        }
    }

    /** The CSV file's stream; a failed write names the file and the way out, and is not a checked exception. */
    private final class CsvOutput extends OutputStream {
        private final OutputStream out;
        private final CsvRowCounter counter = new CsvRowCounter();

        CsvOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            try {
                out.write(b);
                counter.add(b);
            } catch (IOException e) {
                throw writeFailure(e);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            try {
                out.write(bytes, offset, length);
                counter.add(bytes, offset, length);
            } catch (IOException e) {
                throw writeFailure(e);
            }
        }

        /** The rows written by the source (the header line is written past this stream). */
        long rows() {
            return counter.rows();
        }

        /** The source's close does not end the file: the load does, at its commit. */
        @Override
        public void close() {
        }

        void finish() {
            try {
                out.close();
            } catch (IOException e) {
                throw writeFailure(e);
            }
        }

        void abandon() {
            try {
                out.close();
            } catch (IOException e) {
                // the file is deleted next
            }
        }

        private WarehouseException writeFailure(IOException e) {
            return new WarehouseException(cellId + ": cannot write snapshot rows of " + schema.id() + " to the temporary file " + csvFile
                    + " (" + e + "); if the warehouse's directory is full, free space there", e);
        }
    }

    private static WarehouseException failure(String what, SQLException e, Warehouse warehouse, String cellId, TableSchema schema) {
        return new WarehouseException(cellId + ": cannot " + what + " " + schema.id() + " into the DuckDB warehouse " + warehouse.path()
                + ": " + e.getMessage(), e);
    }
}
