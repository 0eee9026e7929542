package io.cellpipe.postgres;

import io.cellpipe.core.spi.CaptureException;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.replication.ReplicationSlotInfo;

/**
 * Creates, finds and drops the pipeline's replication slot and publication on one cell. The slot
 * is usually named like the publication; cells sharing a server need a slot name of their own.
 */
final class SlotManager {
    private final String cellId;
    private final String name;
    private final String publication;

    /** A new slot: its consistent point and the snapshot exported with it. */
    record CreatedSlot(Lsn consistentPoint, String snapshotName) {
    }

    SlotManager(String cellId, String slot, String publication) {
        this.cellId = cellId;
        this.name = slot;
        this.publication = publication;
    }

    /** The slot's name. */
    String name() {
        return name;
    }

    String publication() {
        return publication;
    }

    /**
     * Creates the publication or sets its table list, column lists and row filters included (SET
     * TABLE replaces all of them, so a changed policy takes effect at the next start); partitions
     * publish under their root. Returns the tables that were not in an existing publication before
     * (none for a new one).
     */
    List<TableId> ensurePublication(Connection connection, List<PublishedTable> published) throws SQLException {
        if (published.isEmpty()) {
            throw new CaptureException(cellId + ": no table matches tables.include (minus tables.exclude); nothing to capture", false);
        }
        List<TableId> tables = published.stream().map(PublishedTable::id).toList();
        String list = published.stream().map(PublishedTable::sql).collect(Collectors.joining(", "));
        boolean exists;
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = ?")) {
            statement.setString(1, publication);
            try (ResultSet rows = statement.executeQuery()) {
                exists = rows.next();
            }
        }
        List<TableId> added = exists ? added(connection, tables) : List.of();
        try (Statement statement = connection.createStatement()) {
            if (exists) {
                statement.execute("ALTER PUBLICATION " + TableId.quote(publication) + " SET TABLE " + list);
            } else {
                statement.execute("CREATE PUBLICATION " + TableId.quote(publication) + " FOR TABLE " + list
                        + " WITH (publish = 'insert, update, delete, truncate', publish_via_partition_root = true)");
            }
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                throw new CaptureException(cellId + ": not allowed to create or change publication " + publication + " (" + e.getMessage()
                        + "). Fix: run as a role that owns the captured tables, or create it once as their owner: CREATE PUBLICATION "
                        + publication + " FOR TABLE " + list + " WITH (publish_via_partition_root = true);", false, e);
            }
            throw e;
        }
        return added;
    }

    /** The publication's row filters by table, as PostgreSQL prints them (PostgreSQL 15+; empty without a publication). */
    java.util.Map<TableId, String> rowFilters(Connection connection) throws SQLException {
        java.util.Map<TableId, String> filters = new java.util.HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT n.nspname, c.relname, pg_catalog.pg_get_expr(pr.prqual, pr.prrelid) FROM pg_catalog.pg_publication_rel pr"
                        + " JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE p.pubname = ? AND pr.prqual IS NOT NULL")) {
            statement.setString(1, publication);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    filters.put(new TableId(rows.getString(1), rows.getString(2)), rows.getString(3));
                }
            }
        }
        return filters;
    }

    private List<TableId> added(Connection connection, List<TableId> tables) throws SQLException {
        java.util.Set<TableId> published = publishedTables(connection, publication);
        return tables.stream().filter(table -> !published.contains(table)).toList();
    }

    /** The tables a publication names (none when it does not exist). */
    static java.util.Set<TableId> publishedTables(Connection connection, String publication) throws SQLException {
        java.util.Set<TableId> published = new java.util.HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT n.nspname, c.relname FROM pg_catalog.pg_publication_rel pr JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid"
                        + " JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE p.pubname = ?")) {
            statement.setString(1, publication);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    published.add(new TableId(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return published;
    }

    /** Whether the slot exists, and if so whether WAL it needs was removed. */
    SlotState state(Connection connection) throws SQLException {
        String sql = connection.getMetaData().getDatabaseMajorVersion() >= 13
                ? "SELECT wal_status FROM pg_catalog.pg_replication_slots WHERE slot_name = ?"
                : "SELECT 'reserved' FROM pg_catalog.pg_replication_slots WHERE slot_name = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return SlotState.MISSING;
                }
                return "lost".equals(rows.getString(1)) ? SlotState.LOST : SlotState.PRESENT;
            }
        }
    }

    /** The position PostgreSQL has confirmed for the slot (it streams from there whatever it is asked); empty without one. */
    java.util.Optional<Lsn> confirmedFlush(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT confirmed_flush_lsn::text FROM pg_catalog.pg_replication_slots WHERE slot_name = ? AND confirmed_flush_lsn IS NOT NULL")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? java.util.Optional.of(Lsn.parse(rows.getString(1))) : java.util.Optional.empty();
            }
        }
    }

    enum SlotState {
        PRESENT,
        MISSING,
        /** The slot exists but PostgreSQL removed WAL it still needed (max_slot_wal_keep_size). */
        LOST
    }

    void drop(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, name);
            statement.execute();
        }
    }

    /** Creates the slot on a replication connection, exporting a snapshot that lives until that connection's next command. */
    CreatedSlot create(Connection replication) throws SQLException {
        ReplicationSlotInfo info = replication.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot().logical()
                .withSlotName(name).withOutputPlugin("pgoutput").make();
        if (info.getSnapshotName() == null) {
            throw new CaptureException(cellId + ": PostgreSQL did not export a snapshot with slot " + name, false);
        }
        return new CreatedSlot(new Lsn(info.getConsistentPoint().asLong()), info.getSnapshotName());
    }
}
