package io.cellpipe.postgres;

import io.cellpipe.core.spi.CaptureException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The checks a cell must pass before capture starts, each failing with the fix spelled out.
 * {@link CellCheck} runs these and the softer ones for {@code cellpipe check}, with the same fixes.
 */
final class Preflight {
    static final int MINIMUM_VERSION = 140000;

    static final String WAL_LEVEL_FIX = "ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL";

    private Preflight() {
    }

    static String replicationFix(String role) {
        return "ALTER ROLE " + io.cellpipe.core.model.TableId.quote(role) + " WITH REPLICATION;";
    }

    /** Returns the server version number (e.g. 170006). */
    static int check(String cellId, Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        SELECT current_setting('server_version_num')::int, current_setting('wal_level'),
                               r.rolsuper OR r.rolreplication, current_user
                        FROM pg_catalog.pg_roles r WHERE r.rolname = current_user""")) {
            rows.next();
            int version = rows.getInt(1);
            if (version < MINIMUM_VERSION) {
                throw new CaptureException(cellId + ": PostgreSQL " + version / 10000 + " is not supported; cellpipe needs 14 or newer", false);
            }
            if (!"logical".equals(rows.getString(2))) {
                throw new CaptureException(cellId + ": wal_level is '" + rows.getString(2) + "', logical replication needs 'logical'."
                        + " Fix: " + WAL_LEVEL_FIX, false);
            }
            if (!rows.getBoolean(3)) {
                throw new CaptureException(cellId + ": role " + rows.getString(4) + " may not use replication."
                        + " Fix: " + replicationFix(rows.getString(4)), false);
            }
            return version;
        }
    }

    /** The newest pgoutput protocol the server speaks: 2 adds streaming (14), 3 two-phase (15), 4 parallel streaming (16). */
    static int protocolVersion(int serverVersion) {
        if (serverVersion >= 160000) {
            return 4;
        }
        return serverVersion >= 150000 ? 3 : 2;
    }
}
