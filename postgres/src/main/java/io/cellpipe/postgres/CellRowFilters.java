package io.cellpipe.postgres;

import io.cellpipe.core.model.TableId;
import java.util.Map;
import java.util.Set;

/**
 * The row filters of one cell's captured tables, resolved against its catalog: per table, the SQL
 * the snapshot applies, and the filter the capture process applies to the stream (for a values
 * filter; a SQL predicate is applied to the stream by the publication only).
 */
record CellRowFilters(Map<TableId, String> sql, Map<TableId, InProcess> inProcess) {
    /** Rows whose {@code column} is one of {@code values}, spelled as PostgreSQL outputs the column's type. */
    record InProcess(String column, Set<String> values) {
        InProcess {
            values = Set.copyOf(values);
        }
    }

    CellRowFilters {
        sql = Map.copyOf(sql);
        inProcess = Map.copyOf(inProcess);
    }

    static CellRowFilters none() {
        return new CellRowFilters(Map.of(), Map.of());
    }

    /** The SQL condition of a table's rows, or null for all of them. */
    String sql(TableId table) {
        return sql.get(table);
    }

    InProcess inProcess(TableId table) {
        return inProcess.get(table);
    }
}
