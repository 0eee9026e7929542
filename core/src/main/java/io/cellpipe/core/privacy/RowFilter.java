package io.cellpipe.core.privacy;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * Which rows of one table are captured (an internal-only table, say): those whose {@link Values#column}
 * is one of a list of values, or those a SQL {@link Predicate} holds for. Applied to the snapshot
 * and to the stream alike; rows outside it never reach the warehouse.
 */
public sealed interface RowFilter {
    /**
     * Rows whose {@code column} has one of {@code values}, written as PostgreSQL writes the column's
     * type as text (each value is read as the column's type, so {@code 007} matches an integer 7).
     */
    record Values(String column, Path file, List<String> values) implements RowFilter {
        public Values {
            requireNonNull(column, "column is null");
            requireNonNull(file, "file is null");
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("values file " + file + " lists no values, so no row would be captured;"
                        + " exclude the table in tables.exclude instead");
            }
        }

        @Override
        public String toString() {
            return column + " in the " + values.size() + " values of " + file;
        }
    }

    /** Rows for which a boolean SQL expression over the table's columns holds, evaluated by PostgreSQL. */
    record Predicate(String sql) implements RowFilter {
        public Predicate {
            requireNonNull(sql, "sql is null");
            if (sql.isBlank()) {
                throw new IllegalArgumentException("a row filter's where is empty");
            }
        }

        @Override
        public String toString() {
            return "where " + sql;
        }
    }
}
