package io.cellpipe.postgres;

import io.cellpipe.core.cluster.CellInspector;
import io.cellpipe.core.cluster.SequenceUsage;
import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.model.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a cell's sequences and primary keys for the cross-cell checks, on a short-lived connection
 * of its own (these checks run every half minute or so; holding one connection per cell for them
 * is not worth it).
 */
public final class PostgresCellInspector implements CellInspector {
    /**
     * Sequences with their position and owning column. pg_sequences shows last_value only to roles
     * that may read the sequence (NULL otherwise, as before first use); serial and identity columns
     * own their sequence through pg_depend (deptype 'a' and 'i').
     */
    private static final String SEQUENCES = "SELECT s.schemaname, s.sequencename, s.last_value, tn.nspname, t.relname, a.attname"
            + " FROM pg_catalog.pg_sequences s"
            + " JOIN pg_catalog.pg_namespace sn ON sn.nspname = s.schemaname"
            + " JOIN pg_catalog.pg_class sc ON sc.relnamespace = sn.oid AND sc.relname = s.sequencename"
            + " LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = sc.oid"
            + "   AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0"
            + " LEFT JOIN pg_catalog.pg_class t ON t.oid = d.refobjid"
            + " LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace"
            + " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
            + " ORDER BY 1, 2";
    private static final String PRIMARY_KEY = "SELECT a.attname FROM pg_catalog.pg_index i"
            + " JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)"
            + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
            + " WHERE i.indisprimary AND n.nspname = ? AND c.relname = ? ORDER BY k.position";

    @Override
    public List<SequenceUsage> sequences(CellConfig cell) throws SQLException {
        List<SequenceUsage> sequences = new ArrayList<>();
        try (Connection connection = new CellConnector(cell).open();
                PreparedStatement statement = connection.prepareStatement(SEQUENCES);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                long last = rows.getLong(3);
                OptionalLong lastValue = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(last);
                Optional<TableId> table = rows.getString(5) == null ? Optional.empty() : Optional.of(new TableId(rows.getString(4), rows.getString(5)));
                sequences.add(new SequenceUsage(new TableId(rows.getString(1), rows.getString(2)).qualified(), lastValue, table,
                        Optional.ofNullable(rows.getString(6))));
            }
        }
        return sequences;
    }

    @Override
    public List<String> primaryKey(CellConfig cell, TableId table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection connection = new CellConnector(cell).open();
                PreparedStatement statement = connection.prepareStatement(PRIMARY_KEY)) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
            }
        }
        return columns;
    }
}
