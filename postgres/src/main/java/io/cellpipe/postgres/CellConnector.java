package io.cellpipe.postgres;

import io.cellpipe.core.config.CellConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.PGProperty;

/**
 * Opens connections to one cell. Every session prints values the same way (UTC, ISO dates,
 * ISO 8601 intervals, hex bytea, shortest exact floats): the walsender formats the values it
 * streams with the replication session's settings, and snapshots must match them byte for byte.
 */
final class CellConnector {
    static final String SESSION_OPTIONS =
            "-c TimeZone=UTC -c DateStyle=ISO -c IntervalStyle=iso_8601 -c extra_float_digits=3 -c bytea_output=hex";

    private final CellConfig cell;

    CellConnector(CellConfig cell) {
        this.cell = cell;
    }

    Connection open() throws SQLException {
        return DriverManager.getConnection(cell.url(), properties());
    }

    Connection openReplication() throws SQLException {
        Properties properties = properties();
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        return DriverManager.getConnection(cell.url(), properties);
    }

    private static Properties properties() {
        Properties properties = new Properties();
        PGProperty.OPTIONS.set(properties, SESSION_OPTIONS);
        PGProperty.APPLICATION_NAME.set(properties, "cellpipe");
        PGProperty.CONNECT_TIMEOUT.set(properties, "10");
        PGProperty.TCP_KEEP_ALIVE.set(properties, "true");
        return properties;
    }
}
