package io.cellpipe.postgres;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.spi.SlotWal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Measures how much WAL a cell retains for the pipeline's slot, and how close that is to
 * {@code max_slot_wal_keep_size}, past which PostgreSQL drops the WAL and the slot is lost. Keeps
 * its own connection (never the capture's), reopened after a failure. Used by one thread at a time.
 */
public final class SlotLagProbe implements AutoCloseable {
    private static final String SQL = """
            SELECT pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), confirmed_flush_lsn)::bigint,
                   pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), restart_lsn)::bigint,
                   safe_wal_size,
                   (SELECT CASE WHEN setting::bigint < 0 THEN -1 ELSE setting::bigint * 1024 * 1024 END
                      FROM pg_catalog.pg_settings WHERE name = 'max_slot_wal_keep_size'),
                   wal_status
            FROM pg_catalog.pg_replication_slots WHERE slot_name = ? AND confirmed_flush_lsn IS NOT NULL""";

    private final CellConnector connector;
    private final String slotName;
    private Connection connection;

    public SlotLagProbe(CellConfig cell, String pipeline) {
        this.connector = new CellConnector(requireNonNull(cell, "cell is null"));
        this.slotName = cell.slotName(requireNonNull(pipeline, "pipeline is null"));
    }

    /** The slot's lag in bytes; empty when the cell cannot be reached or the slot does not exist. */
    public OptionalLong bytes() {
        return measure().map(wal -> OptionalLong.of(wal.lagBytes())).orElse(OptionalLong.empty());
    }

    /** The slot's WAL; empty when the cell cannot be reached or the slot does not exist. */
    public Optional<SlotWal> measure() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = connector.open();
            }
            try (PreparedStatement statement = connection.prepareStatement(SQL)) {
                statement.setString(1, slotName);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    long safe = rows.getLong(3);
                    OptionalLong safeBytes = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(safe);
                    long limit = rows.getLong(4);
                    OptionalLong limitBytes = limit < 0 ? OptionalLong.empty() : OptionalLong.of(limit);
                    String status = rows.getString(5);
                    return Optional.of(new SlotWal(rows.getLong(1), rows.getLong(2), limitBytes, safeBytes, status == null ? "" : status));
                }
            }
        } catch (SQLException e) {
            close();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // the connection is gone either way
            }
            connection = null;
        }
    }
}
