package io.cellpipe.postgres;

import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.KeyRange;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.privacy.TablePolicy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Reads one resync chunk: the next {@code limit} rows after a key, in key order (keyset pagination),
 * as {@code COPY} text like the snapshot, so values are spelled exactly as the stream spells them.
 * Only the columns the table's policy keeps are read, plus the key columns as they are at the source
 * (to continue after, even when a policy hashes them); kept columns are transformed before they are
 * returned. Text keys are compared and ordered in byte order ({@code COLLATE "C"}).
 */
final class ChunkQuery {
    private final TablePolicy policy;
    private final List<Column> keys;
    private final KeyRange range;
    private final String rowFilter;
    private final int limit;

    /** The chunk's rows as loaded, and the last row's key as the source has it (null when there are no rows). */
    record Rows(List<RowImage> rows, List<String> lastKey) {
    }

    /** {@code rowFilter}: the table's privacy row filter as SQL, or null; rows outside it are never read, as in the snapshot. */
    ChunkQuery(TablePolicy policy, KeyRange range, String rowFilter, int limit) {
        this.policy = policy;
        this.keys = policy.source().keyColumns();
        if (range != null && range.width() > keys.size()) {
            throw new IllegalArgumentException("the key range names " + range.width() + " values but the key of " + policy.source().id()
                    + " has " + keys.size() + " column(s): " + String.join(", ", keys.stream().map(Column::name).toList()));
        }
        this.range = range;
        this.rowFilter = rowFilter;
        this.limit = limit;
    }

    String sql(List<String> after) {
        StringBuilder select = new StringBuilder();
        for (Column column : policy.schema().columns()) {
            select.append(select.isEmpty() ? "" : ", ").append("t.").append(TableId.quote(column.name()));
        }
        List<String> keyExpressions = new ArrayList<>();
        for (Column key : keys) {
            String name = "t." + TableId.quote(key.name());
            select.append(", ").append(name);
            keyExpressions.add(collated(key, name));
        }
        List<String> conditions = new ArrayList<>();
        if (range != null && range.from() != null) {
            conditions.add(compare(keyExpressions, ">=", range.from()));
        }
        if (range != null && range.to() != null) {
            conditions.add(compare(keyExpressions, "<=", range.to()));
        }
        if (rowFilter != null) {
            conditions.add("(" + rowFilter + ")");
        }
        if (after != null) {
            conditions.add(compare(keyExpressions, ">", after));
        }
        return "COPY (SELECT " + select + " FROM " + policy.source().id().quoted() + " t"
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY " + String.join(", ", keyExpressions) + " LIMIT " + limit + ") TO STDOUT";
    }

    /**
     * The leading key columns compared as a row with {@code values}, each an untyped literal (so it takes
     * its column's type). COPY takes no parameters; {@link #literal} makes a value safe to paste whatever
     * {@code standard_conforming_strings} says.
     */
    private String compare(List<String> keyExpressions, String operator, List<String> values) {
        List<String> literals = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            literals.add(collated(keys.get(i), values.get(i) == null ? "NULL" : literal(values.get(i))));
        }
        return "(" + String.join(", ", keyExpressions.subList(0, values.size())) + ") " + operator + " (" + String.join(", ", literals) + ")";
    }

    /** An escape string literal: a backslash and a quote are doubled, so neither can end it. */
    static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a key value holds a NUL character, which PostgreSQL text cannot");
        }
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static String collated(Column column, String expression) {
        ColumnKind kind = column.type().kind();
        // as text, because an enum or domain key takes no collation
        return kind == ColumnKind.TEXT ? expression + "::text COLLATE \"C\"" : expression;
    }

    Rows read(Connection connection, List<String> after) throws SQLException {
        CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql(after));
        int kept = policy.schema().columns().size();
        CopyTextParser parser = new CopyTextParser();
        List<RowImage> rows = new ArrayList<>();
        List<String> lastKey = null;
        byte[] row;
        while ((row = copy.readFromCopy()) != null) {
            String[] values = parser.parse(row, kept + keys.size());
            String[] loaded = new String[kept];
            for (int i = 0; i < kept; i++) {
                loaded[i] = policy.apply(i, values[i]);
            }
            rows.add(new RowImage(loaded, null));
            lastKey = new ArrayList<>(keys.size());
            for (int k = 0; k < keys.size(); k++) {
                lastKey.add(values[kept + k]);
            }
        }
        return new Rows(rows, lastKey);
    }
}
