package io.cellpipe.postgres;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.config.CellConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * Measures how much WAL a cell retains for the pipeline's slot: {@code pg_current_wal_lsn()} minus
 * the slot's {@code confirmed_flush_lsn}. Keeps its own connection (never the capture's), reopened
 * after a failure. Used by one thread at a time.
 */
public final class SlotLagProbe implements AutoCloseable {
    private final CellConnector connector;
    private final String slotName;
    private Connection connection;

    public SlotLagProbe(CellConfig cell, String pipeline) {
        this.connector = new CellConnector(requireNonNull(cell, "cell is null"));
        this.slotName = cell.slotName(requireNonNull(pipeline, "pipeline is null"));
    }

    /** The slot's lag in bytes; empty when the cell cannot be reached or the slot does not exist. */
    public OptionalLong bytes() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = connector.open();
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), confirmed_flush_lsn)::bigint"
                            + " FROM pg_catalog.pg_replication_slots WHERE slot_name = ? AND confirmed_flush_lsn IS NOT NULL")) {
                statement.setString(1, slotName);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
                }
            }
        } catch (SQLException e) {
            close();
            return OptionalLong.empty();
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
