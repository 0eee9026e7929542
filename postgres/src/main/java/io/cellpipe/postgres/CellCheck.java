package io.cellpipe.postgres;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.config.TableSelection;
import io.cellpipe.core.model.TableId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Preflight of one cell for {@code cellpipe check}: everything capture needs, checked without
 * changing anything, each result with the exact fix. Unlike {@link Preflight}, which stops capture
 * at the first problem, this goes on and reports them all.
 */
public final class CellCheck {
    /** Suggested bound for the WAL a stuck slot may retain; the right value is below the WAL volume's free space. */
    static final String SUGGESTED_WAL_KEEP = "50GB";

    private final CellConfig cell;
    private final String slotName;
    private final String publication;
    private final TableSelection tables;

    /** @param pipeline the pipeline's name; its slot and publication are {@code cellpipe_<pipeline>} */
    public CellCheck(CellConfig cell, String pipeline, TableSelection tables) {
        this.cell = requireNonNull(cell, "cell is null");
        this.slotName = cell.slotName(requireNonNull(pipeline, "pipeline is null"));
        this.publication = "cellpipe_" + pipeline;
        this.tables = requireNonNull(tables, "tables is null");
    }

    public PreflightReport run() {
        List<CheckResult> results = new ArrayList<>();
        Connection connection;
        try {
            connection = new CellConnector(cell).open();
        } catch (SQLException e) {
            results.add(connectivityFailure(e));
            return new PreflightReport(cell.id(), results);
        }
        try (connection) {
            results.add(CheckResult.pass("connectivity", "connected to " + cell.safeUrl()));
            results.add(transport(connection));
            Server server = server(connection);
            results.add(version(server));
            results.add(walLevel(server));
            results.add(replicationPrivilege(server));
            Slot slot = slot(connection);
            results.add(slots(server, slot));
            results.add(walSenders(server, slot));
            results.add(walKeepSize(server));
            List<CellCatalog.CatalogTable> captured = new CellCatalog(connection).tables(tables);
            results.addAll(tableChecks(connection, server, captured));
        } catch (SQLException e) {
            results.add(CheckResult.fail("catalog", "querying the cell failed: " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")",
                    "grant the capture role access to the catalog, or run the check as a role that has it"));
        }
        return new PreflightReport(cell.id(), results);
    }

    /** Whether the link to the cell is encrypted and the server verified; rows cross it before any policy applies. */
    private CheckResult transport(Connection connection) throws SQLException {
        boolean encrypted;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT ssl FROM pg_catalog.pg_stat_ssl WHERE pid = pg_catalog.pg_backend_pid()")) {
            encrypted = rows.next() && rows.getBoolean(1);
        }
        Properties url = org.postgresql.Driver.parseURL(cell.url(), null);
        String hosts = url == null ? "" : url.getProperty("PGHOST", "");
        String sslmode = url == null ? null : url.getProperty("sslmode");
        return transport(encrypted, sslmode, hosts);
    }

    static CheckResult transport(boolean encrypted, String sslmode, String hosts) {
        String fix = "add sslmode=verify-full&sslrootcert=/path/to/root.crt to the cell URL (the server needs ssl = on and a certificate"
                + " whose name is the URL's host); see docs/operations.md, Security";
        boolean loopback = java.util.Arrays.stream(hosts.split(",")).map(String::strip)
                .allMatch(host -> host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]")
                        || host.startsWith("/"));
        if (!encrypted) {
            return loopback ? CheckResult.pass("transport", "not encrypted, to " + hosts + " on this machine")
                    : CheckResult.warn("transport", "the connection to the cell is not encrypted: every row crosses the network in clear,"
                            + " including the columns the capture drops or hashes", fix);
        }
        if (!"verify-full".equals(sslmode)) {
            return loopback ? CheckResult.pass("transport", "encrypted, to " + hosts + " on this machine")
                    : CheckResult.warn("transport", "the connection is encrypted but the server is not verified (sslmode="
                            + (sslmode == null ? "prefer, the default" : sslmode) + "): anyone in the path can pose as the cell", fix);
        }
        return CheckResult.pass("transport", "encrypted, server verified (sslmode=verify-full)");
    }

    private CheckResult connectivityFailure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String fix;
        if (state.startsWith("28")) {
            fix = "fix the user or password in the cell URL";
        } else if (state.equals("3D000")) {
            fix = "fix the database name in the cell URL";
        } else {
            fix = "check that PostgreSQL is up and that host and port in the cell URL are right and reachable";
        }
        return CheckResult.fail("connectivity", "cannot connect to " + cell.safeUrl() + ": " + e.getMessage(), fix);
    }

    private record Server(int versionNumber, String version, String walLevel, int maxSlots, int maxSenders, String walKeepSize,
            boolean superuser, boolean replication, String role, int slotsUsed, int sendersUsed) {
    }

    private record Slot(boolean exists, boolean active, String walStatus) {
    }

    private static Server server(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        SELECT current_setting('server_version_num')::int, current_setting('server_version'), current_setting('wal_level'),
                               current_setting('max_replication_slots')::int, current_setting('max_wal_senders')::int,
                               current_setting('max_slot_wal_keep_size', true), r.rolsuper, r.rolreplication, current_user,
                               (SELECT count(*) FROM pg_catalog.pg_replication_slots)::int,
                               (SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE backend_type = 'walsender')::int
                        FROM pg_catalog.pg_roles r WHERE r.rolname = current_user""")) {
            rows.next();
            return new Server(rows.getInt(1), rows.getString(2), rows.getString(3), rows.getInt(4), rows.getInt(5), rows.getString(6),
                    rows.getBoolean(7), rows.getBoolean(8), rows.getString(9), rows.getInt(10), rows.getInt(11));
        }
    }

    private Slot slot(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT active, wal_status FROM pg_catalog.pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, slotName);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? new Slot(true, rows.getBoolean(1), rows.getString(2)) : new Slot(false, false, null);
            }
        }
    }

    private static CheckResult version(Server server) {
        if (server.versionNumber() < Preflight.MINIMUM_VERSION) {
            return CheckResult.fail("server version", "PostgreSQL " + server.version() + "; cellpipe needs 14 or newer",
                    "upgrade the cell to PostgreSQL 14 or newer");
        }
        return CheckResult.pass("server version", "PostgreSQL " + server.version());
    }

    private static CheckResult walLevel(Server server) {
        if (!"logical".equals(server.walLevel())) {
            return CheckResult.fail("wal_level", "wal_level is '" + server.walLevel() + "'; logical replication needs 'logical'",
                    Preflight.WAL_LEVEL_FIX);
        }
        return CheckResult.pass("wal_level", "logical");
    }

    private static CheckResult replicationPrivilege(Server server) {
        if (server.superuser()) {
            return CheckResult.pass("replication privilege", "role " + server.role() + " is a superuser");
        }
        if (server.replication()) {
            return CheckResult.pass("replication privilege", "role " + server.role() + " has REPLICATION");
        }
        return CheckResult.fail("replication privilege", "role " + server.role() + " has neither REPLICATION nor superuser",
                Preflight.replicationFix(server.role()));
    }

    private CheckResult slots(Server server, Slot slot) {
        String used = server.slotsUsed() + " of max_replication_slots " + server.maxSlots() + " used";
        if (slot.exists() && "lost".equals(slot.walStatus())) {
            return CheckResult.fail("replication slots", used + "; slot " + slotName + " is lost (PostgreSQL removed WAL it needed)",
                    "cellpipe run --resnapshot " + cell.id());
        }
        if (slot.exists() && "unreserved".equals(slot.walStatus())) {
            return CheckResult.warn("replication slots", used + "; slot " + slotName
                    + " is about to be lost (its WAL exceeds max_slot_wal_keep_size)", "start the pipeline so the slot advances");
        }
        if (slot.exists()) {
            return CheckResult.pass("replication slots", used + "; slot " + slotName + " exists and is "
                    + (slot.active() ? "active (a pipeline is reading it)" : "inactive (capture resumes from it)"));
        }
        if (server.slotsUsed() >= server.maxSlots()) {
            return CheckResult.fail("replication slots", used + "; none free for slot " + slotName,
                    "ALTER SYSTEM SET max_replication_slots = " + (server.slotsUsed() + 1) + "; then restart PostgreSQL"
                            + " (or drop an unused slot: SELECT pg_drop_replication_slot('name');)");
        }
        return CheckResult.pass("replication slots", used + "; slot " + slotName + " does not exist yet (created on first run)");
    }

    private static CheckResult walSenders(Server server, Slot slot) {
        String used = server.sendersUsed() + " of max_wal_senders " + server.maxSenders() + " used";
        if (slot.active()) {
            return CheckResult.pass("wal senders", used + " (one by this pipeline)");
        }
        if (server.sendersUsed() >= server.maxSenders()) {
            return CheckResult.fail("wal senders", used + "; none free for the replication stream",
                    "ALTER SYSTEM SET max_wal_senders = " + (server.sendersUsed() + 1) + "; then restart PostgreSQL");
        }
        return CheckResult.pass("wal senders", used);
    }

    private static CheckResult walKeepSize(Server server) {
        if (server.walKeepSize() == null) {
            return CheckResult.warn("max_slot_wal_keep_size", "not supported by this server: a stuck slot retains WAL without limit",
                    "upgrade to PostgreSQL 14 or newer");
        }
        if ("-1".equals(server.walKeepSize().trim())) {
            return CheckResult.warn("max_slot_wal_keep_size", "-1 (unlimited): a stuck or abandoned slot can fill the disk",
                    "ALTER SYSTEM SET max_slot_wal_keep_size = '" + SUGGESTED_WAL_KEEP + "'; SELECT pg_reload_conf();"
                            + " (choose a value below the free space of the WAL volume)");
        }
        return CheckResult.pass("max_slot_wal_keep_size", server.walKeepSize());
    }

    private List<CheckResult> tableChecks(Connection connection, Server server, List<CellCatalog.CatalogTable> captured)
            throws SQLException {
        List<CheckResult> results = new ArrayList<>();
        if (captured.isEmpty()) {
            results.add(CheckResult.fail("captured tables", "no table matches tables.include " + tables.include() + " minus tables.exclude "
                    + tables.exclude(), "fix tables.include, or create the tables"));
            return results;
        }
        results.add(selectPrivilege(connection, server, captured));
        results.addAll(replicaIdentity(captured));
        results.add(publication(connection, server, captured));
        return results;
    }

    private static CheckResult selectPrivilege(Connection connection, Server server, List<CellCatalog.CatalogTable> captured)
            throws SQLException {
        List<TableId> denied = tablesWhere(connection, captured, "NOT pg_catalog.has_table_privilege(c.oid, 'SELECT')");
        if (!denied.isEmpty()) {
            return CheckResult.fail("select privilege", "role " + server.role() + " may not read " + names(denied),
                    "GRANT SELECT ON " + quoted(denied) + " TO " + TableId.quote(server.role()) + ";");
        }
        return CheckResult.pass("select privilege", "all " + captured.size() + " captured tables");
    }

    private static List<CheckResult> replicaIdentity(List<CellCatalog.CatalogTable> captured) {
        List<CheckResult> results = new ArrayList<>();
        for (CellCatalog.CatalogTable table : captured) {
            boolean noIdentity = table.replicaIdentity() == 'n' || !table.hasPrimaryKey() && table.replicaIdentity() == 'd';
            if (noIdentity) {
                results.add(CheckResult.warn("replica identity", table.id() + " has no primary key and REPLICA IDENTITY "
                        + (table.replicaIdentity() == 'n' ? "NOTHING" : "DEFAULT") + ": PostgreSQL rejects UPDATE and DELETE on it once"
                        + " it is published", "ALTER TABLE " + table.id().quoted() + " REPLICA IDENTITY FULL; (then loaded append-only)"));
            }
        }
        if (results.isEmpty()) {
            results.add(CheckResult.pass("replica identity", "every captured table has a primary key or a replica identity"));
        }
        return results;
    }

    private CheckResult publication(Connection connection, Server server, List<CellCatalog.CatalogTable> captured) throws SQLException {
        List<TableId> selected = captured.stream().map(CellCatalog.CatalogTable::id).toList();
        String create = "CREATE PUBLICATION " + TableId.quote(publication) + " FOR TABLE " + quoted(selected)
                + " WITH (publish_via_partition_root = true);";
        boolean ownsTables = server.superuser() || tablesWhere(connection, captured, "NOT pg_catalog.pg_has_role(c.relowner, 'USAGE')").isEmpty();
        Set<TableId> published = publishedTables(connection);
        if (published == null) {
            if (ownsTables) {
                return CheckResult.pass("publication", publication + " does not exist yet; `cellpipe run` creates it");
            }
            return CheckResult.fail("publication", publication + " does not exist and role " + server.role()
                    + " does not own all captured tables, so it cannot create it", "as the tables' owner: " + create);
        }
        List<TableId> missing = selected.stream().filter(table -> !published.contains(table)).toList();
        List<TableId> extra = published.stream().filter(table -> !selected.contains(table)).sorted().toList();
        if (missing.isEmpty() && extra.isEmpty()) {
            return CheckResult.pass("publication", publication + " publishes exactly the " + selected.size() + " selected tables");
        }
        String difference = publication + " differs from the selection:" + (missing.isEmpty() ? "" : " missing " + names(missing))
                + (extra.isEmpty() ? "" : " not selected " + names(extra));
        String alter = "ALTER PUBLICATION " + TableId.quote(publication) + " SET TABLE " + quoted(selected) + ";";
        if (ownsTables) {
            return CheckResult.warn("publication", difference + "; `cellpipe run` sets it, but rows that newly added tables already"
                    + " hold are not copied", "cellpipe run --resnapshot " + cell.id() + " after adding tables, or: " + alter);
        }
        return CheckResult.fail("publication", difference + "; role " + server.role() + " may not change it", "as the tables' owner: " + alter);
    }

    /** The tables the publication names, or null when there is no such publication. */
    private Set<TableId> publishedTables(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = ?")) {
            statement.setString(1, publication);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
            }
        }
        return SlotManager.publishedTables(connection, publication);
    }

    private static List<TableId> tablesWhere(Connection connection, List<CellCatalog.CatalogTable> captured, String condition)
            throws SQLException {
        List<TableId> found = new ArrayList<>();
        Array oids = connection.createArrayOf("int8", captured.stream().map(CellCatalog.CatalogTable::oid).toArray(Long[]::new));
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE c.oid::int8 = ANY (?) AND " + condition + " ORDER BY 1, 2")) {
            statement.setArray(1, oids);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(new TableId(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return found;
    }

    private static String names(List<TableId> tables) {
        return tables.stream().map(TableId::qualified).collect(Collectors.joining(", "));
    }

    private static String quoted(List<TableId> tables) {
        return tables.stream().map(TableId::quoted).collect(Collectors.joining(", "));
    }
}
