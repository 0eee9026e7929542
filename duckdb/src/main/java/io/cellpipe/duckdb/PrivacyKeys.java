package io.cellpipe.duckdb;

import io.cellpipe.core.privacy.KeyFingerprint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code _cellpipe.privacy_keys}: per key category, the algorithm and key fingerprint the warehouse's hashes were made with. */
final class PrivacyKeys {
    static final String TABLE = ControlTables.SCHEMA + ".privacy_keys";

    private PrivacyKeys() {
    }

    static String createSql() {
        return "CREATE TABLE IF NOT EXISTS " + TABLE + " (category VARCHAR PRIMARY KEY, algorithm VARCHAR NOT NULL,"
                + " fingerprint VARCHAR NOT NULL, recorded_at TIMESTAMP WITH TIME ZONE NOT NULL)";
    }

    static void record(Connection connection, List<KeyFingerprint> keys) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + TABLE
                + " (category, algorithm, fingerprint, recorded_at) VALUES (?, ?, ?, current_timestamp) ON CONFLICT (category)"
                + " DO UPDATE SET algorithm = excluded.algorithm, fingerprint = excluded.fingerprint, recorded_at = excluded.recorded_at")) {
            for (KeyFingerprint key : keys) {
                statement.setString(1, key.category());
                statement.setString(2, key.algorithm());
                statement.setString(3, key.fingerprint());
                statement.executeUpdate();
            }
        }
    }

    static Map<String, KeyFingerprint> read(Connection connection) throws SQLException {
        Map<String, KeyFingerprint> keys = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT category, algorithm, fingerprint FROM " + TABLE
                + " ORDER BY category"); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                keys.put(rows.getString(1), new KeyFingerprint(rows.getString(1), rows.getString(2), rows.getString(3)));
            }
        }
        return keys;
    }
}
