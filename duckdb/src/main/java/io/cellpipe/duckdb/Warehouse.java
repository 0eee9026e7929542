package io.cellpipe.duckdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/**
 * The open DuckDB database. Every user gets its own connection ({@link #session}) to the one
 * database instance: DuckDB connections are cheap, and a connection is not safe to share between
 * threads, nor usable for anything else while it streams a result.
 */
final class Warehouse implements AutoCloseable {
    private final Path path;
    private final DuckDBConnection root;

    private Warehouse(Path path, DuckDBConnection root) {
        this.path = path;
        this.root = root;
    }

    static Warehouse open(Path path, long memoryLimit, int threads) {
        Path parent = path.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of the DuckDB warehouse " + path
                    + "; check destination.duckdb.path and the directory's permissions", e);
        }
        Properties properties = new Properties();
        // without it the driver materializes whole results in memory, which a scan of a big table must not do
        properties.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, "true");
        // past this DuckDB spills to <file>.tmp; its default (most of the machine's memory) would let one large transaction take it all
        properties.setProperty("memory_limit", (memoryLimit / (1024 * 1024)) + "MB");
        // DuckDB checkpoints when its WAL passes this (default 16MB), inside a COMMIT; at the default a
        // busy pipeline checkpointed every few batches, halving throughput (docs/BENCHMARKS.md).
        properties.setProperty("checkpoint_threshold", "256MB");
        // DuckDB's default is one thread per core; each thread's scans and joins hold memory that DuckDB does not count in
        // memory_limit, which grew with a large transaction's size while the upserts scanned its rows (docs/BENCHMARKS.md)
        properties.setProperty("threads", Integer.toString(threads));
        try {
            DuckDBConnection root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + path.toAbsolutePath(), properties);
            try {
                confine(root, SnapshotFiles.directory(path));
            } catch (SQLException | IOException e) {
                root.close();
                throw new WarehouseException("cannot confine the DuckDB warehouse " + path + " to its own files: " + e.getMessage(), e);
            }
            // the file is this process's now; a killed one may have left chunks of a snapshot beside it
            SnapshotFiles.removeLeftovers(path);
            return new Warehouse(path, root);
        } catch (SQLException e) {
            throw new WarehouseException("cannot open the DuckDB warehouse " + path + " (" + e.getMessage()
                    + "); is another process using it? DuckDB allows one writing process per file", e);
        }
    }

    /**
     * Every session reads and writes the database's own files and the snapshot chunks' directory, nothing else,
     * and can change no setting: a statement that went wrong cannot read, write or attach another file.
     * Sessions inherit the global time zone, UTC, so {@code TIMESTAMPTZ} values read and print as PostgreSQL's UTC text.
     */
    private static void confine(DuckDBConnection root, Path snapshotDirectory) throws SQLException, IOException {
        Files.createDirectories(snapshotDirectory);
        try (Statement statement = root.createStatement()) {
            statement.execute("SET GLOBAL TimeZone = 'UTC'");
            statement.execute("SET allowed_directories = [" + "'" + (snapshotDirectory + "/").replace("'", "''") + "'" + "]");
            statement.execute("SET enable_external_access = false");
            statement.execute("SET lock_configuration = true");
        }
    }

    Path path() {
        return path;
    }

    /** A new connection in auto-commit mode, in UTC and confined as {@link #confine} says. The caller closes it. */
    DuckDBConnection session() throws SQLException {
        return root.duplicate();
    }

    @Override
    public void close() {
        try {
            root.close();
        } catch (SQLException e) {
            throw new WarehouseException("cannot close the DuckDB warehouse " + path + " cleanly: " + e.getMessage(), e);
        }
    }
}
