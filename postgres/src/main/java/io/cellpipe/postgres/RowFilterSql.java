package io.cellpipe.postgres;

import io.cellpipe.core.model.TableId;
import io.cellpipe.core.privacy.RowFilter;
import java.util.List;

/** A row filter as a SQL boolean expression over the table's columns (snapshot, verification, publication). */
final class RowFilterSql {
    private RowFilterSql() {
    }

    /** Null for no filter. */
    static String of(RowFilter filter) {
        return switch (filter) {
            case null -> null;
            case RowFilter.Values values -> in(values.column(), values.values());
            case RowFilter.Predicate predicate -> predicate.sql();
        };
    }

    /** {@code "column" IN ('a', 'b')}: each literal is read as the column's type. */
    static String in(String column, List<String> values) {
        StringBuilder sql = new StringBuilder(TableId.quote(column)).append(" IN (");
        for (int i = 0; i < values.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append('\'').append(values.get(i).replace("'", "''")).append('\'');
        }
        return sql.append(')').toString();
    }
}
