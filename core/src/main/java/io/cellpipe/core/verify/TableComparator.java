package io.cellpipe.core.verify;

import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.TableSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares a cell's table with the warehouse's copy by walking both in key order. Reports missing,
 * extra and differing rows (by column name, never by value) and counts them all, keeping the first
 * {@code maxReported}.
 */
public final class TableComparator {
    private final int maxReported;

    public TableComparator(int maxReported) {
        this.maxReported = maxReported;
    }

    public record Result(String cellId, TableSchema table, long sourceRows, long warehouseRows,
            long differenceCount, List<TableDifference> differences) {
        public boolean matches() {
            return differenceCount == 0;
        }
    }

    public Result compare(String cellId, TableSchema table, Iterator<VerifyRow> source, Iterator<VerifyRow> warehouse) {
        List<Integer> keys = keyPositions(table);
        if (keys.isEmpty()) {
            return compareWithoutKey(cellId, table, source, warehouse);
        }
        Comparator<VerifyRow> byKey = keyOrder(table, keys);
        Tally tally = new Tally(cellId, table);
        VerifyRow left = next(source, tally, true);
        VerifyRow right = next(warehouse, tally, false);
        while (left != null || right != null) {
            int order = left == null ? 1 : right == null ? -1 : byKey.compare(left, right);
            if (order < 0) {
                tally.report(key(left, keys), "missing in the warehouse");
                left = next(source, tally, true);
            } else if (order > 0) {
                if (!right.deleted()) {
                    tally.report(key(right, keys), "in the warehouse but not in the cell (a delete was not applied)");
                }
                right = next(warehouse, tally, false);
            } else {
                if (right.deleted()) {
                    tally.report(key(left, keys), "marked deleted in the warehouse but present in the cell");
                } else {
                    List<String> columns = differingColumns(table, left, right);
                    if (!columns.isEmpty()) {
                        tally.report(key(left, keys), "columns differ: " + String.join(", ", columns));
                    }
                }
                left = next(source, tally, true);
                right = next(warehouse, tally, false);
            }
        }
        return tally.result();
    }

    /**
     * A table without a key is loaded append-only: its current rows are the warehouse's live rows
     * minus its deletion rows (deletes and the old side of updates), compared as multisets.
     */
    private Result compareWithoutKey(String cellId, TableSchema table, Iterator<VerifyRow> source, Iterator<VerifyRow> warehouse) {
        Tally tally = new Tally(cellId, table);
        Map<List<String>, Long> balance = new HashMap<>();
        VerifyRow row;
        while ((row = next(source, tally, true)) != null) {
            balance.merge(normalized(table, row), 1L, Long::sum);
        }
        while ((row = next(warehouse, tally, false)) != null) {
            balance.merge(normalized(table, row), row.deleted() ? 1L : -1L, Long::sum);
        }
        for (Map.Entry<List<String>, Long> entry : balance.entrySet()) {
            long surplus = entry.getValue();
            if (surplus > 0) {
                tally.report("(no key)", surplus + " copies of a row missing in the warehouse (append-only table)");
            } else if (surplus < 0) {
                tally.report("(no key)", -surplus + " copies of a row in the warehouse but not in the cell (append-only table)");
            }
        }
        // live rows minus deletions
        tally.warehouseRows = tally.sourceRows - balance.values().stream().mapToLong(Long::longValue).sum();
        return tally.result();
    }

    private static List<String> normalized(TableSchema table, VerifyRow row) {
        List<String> values = new ArrayList<>(row.values().size());
        for (int i = 0; i < table.columns().size(); i++) {
            values.add(CanonicalValue.normalize(table.columns().get(i).type().kind(), row.values().get(i)));
        }
        return values;
    }

    private static VerifyRow next(Iterator<VerifyRow> rows, Tally tally, boolean source) {
        if (!rows.hasNext()) {
            return null;
        }
        VerifyRow row = rows.next();
        if (source) {
            tally.sourceRows++;
        } else if (!row.deleted()) {
            tally.warehouseRows++;
        }
        return row;
    }

    private static List<String> differingColumns(TableSchema table, VerifyRow source, VerifyRow warehouse) {
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < table.columns().size(); i++) {
            Column column = table.columns().get(i);
            String expected = CanonicalValue.normalize(column.type().kind(), source.values().get(i));
            String actual = CanonicalValue.normalize(column.type().kind(), warehouse.values().get(i));
            if (!Objects.equals(expected, actual)) {
                differing.add(column.name());
            }
        }
        return differing;
    }

    private static List<Integer> keyPositions(TableSchema table) {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < table.columns().size(); i++) {
            if (table.columns().get(i).key()) {
                positions.add(i);
            }
        }
        return positions;
    }

    private static String key(VerifyRow row, List<Integer> keys) {
        List<String> parts = new ArrayList<>();
        for (int position : keys) {
            parts.add(row.values().get(position));
        }
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(", ", parts) + ")";
    }

    /**
     * The order {@link #compare} expects both sides in: by the table's key columns, each by its
     * type's order (text by UTF-8 bytes). A row source that cannot sort so itself (a cell whose key
     * is hashed sorts by the values, not by their hashes) sorts with this. Null for a table without a key.
     */
    public static Comparator<VerifyRow> keyOrder(TableSchema table) {
        List<Integer> keys = keyPositions(table);
        return keys.isEmpty() ? null : keyOrder(table, keys);
    }

    static Comparator<VerifyRow> keyOrder(TableSchema table, List<Integer> keys) {
        Comparator<VerifyRow> order = null;
        for (int position : keys) {
            Comparator<String> values = valueOrder(table.columns().get(position));
            Comparator<VerifyRow> next = Comparator.comparing(row -> row.values().get(position), Comparator.nullsLast(values));
            order = order == null ? next : order.thenComparing(next);
        }
        return order;
    }

    private static Comparator<String> valueOrder(Column column) {
        return switch (column.type().kind()) {
            case INT16, INT32, INT64 -> Comparator.comparingLong(Long::parseLong);
            case DECIMAL, NUMERIC_TEXT -> Comparator.comparing(BigDecimal::new);
            case UUID -> Comparator.comparing(text -> text.toLowerCase(java.util.Locale.ROOT));
            default -> TableComparator::compareUtf8;
        };
    }

    /** Byte order of the UTF-8 encodings, which is code point order (PostgreSQL's COLLATE "C", DuckDB's default). */
    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private final class Tally {
        private final String cellId;
        private final TableSchema table;
        private final List<TableDifference> differences = new ArrayList<>();
        private long sourceRows;
        private long warehouseRows;
        private long differenceCount;

        Tally(String cellId, TableSchema table) {
            this.cellId = cellId;
            this.table = table;
        }

        void report(String key, String problem) {
            differenceCount++;
            if (differences.size() < maxReported) {
                differences.add(new TableDifference(cellId, table.id().qualified(), key, problem));
            }
        }

        Result result() {
            return new Result(cellId, table, sourceRows, warehouseRows, differenceCount, List.copyOf(differences));
        }
    }
}
