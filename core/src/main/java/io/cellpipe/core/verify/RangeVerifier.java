package io.cellpipe.core.verify;

import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.model.KeyRange;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Verifies a table by key range: both sides sum row hashes per range in their own database, and
 * rows are compared one by one only in the ranges whose counts or sums differ. Scales with the number
 * of differing ranges, not with the table.
 */
public final class RangeVerifier {
    private final long rowsPerRange;
    private final int maxReported;

    /** The outcome: the row comparison of the differing ranges, and those ranges as predicates (for a repair). */
    public record Result(TableComparator.Result rows, long ranges, List<KeyRange> differingRanges) {
    }

    public RangeVerifier(long rowsPerRange, int maxReported) {
        this.rowsPerRange = rowsPerRange;
        this.maxReported = maxReported;
    }

    public Result verify(String cellId, TableSchema table, RangeChecksums source, RangeChecksums warehouse) throws Exception {
        Optional<long[]> cell = source.keyBounds(cellId, table);
        Optional<long[]> stored = warehouse.keyBounds(cellId, table);
        if (cell.isEmpty() && stored.isEmpty()) {
            return new Result(new TableComparator.Result(cellId, table, 0, 0, 0, List.of()), 0, List.of());
        }
        long min = Math.min(cell.map(b -> b[0]).orElse(Long.MAX_VALUE), stored.map(b -> b[0]).orElse(Long.MAX_VALUE));
        long max = Math.max(cell.map(b -> b[1]).orElse(Long.MIN_VALUE), stored.map(b -> b[1]).orElse(Long.MIN_VALUE));
        long rows = Math.max(cell.map(b -> b[2]).orElse(0L), stored.map(b -> b[2]).orElse(0L));
        KeyBuckets buckets = KeyBuckets.over(table.keyColumns().get(0).name(), min, max, rows, rowsPerRange);
        Map<Long, RangeChecksum> left = source.checksums(cellId, table, buckets);
        Map<Long, RangeChecksum> right = warehouse.checksums(cellId, table, buckets);
        TreeSet<Long> differing = new TreeSet<>();
        for (Long bucket : union(left, right)) {
            if (!left.getOrDefault(bucket, RangeChecksum.EMPTY).equals(right.getOrDefault(bucket, RangeChecksum.EMPTY))) {
                differing.add(bucket);
            }
        }
        long sourceRows = left.values().stream().mapToLong(RangeChecksum::rows).sum();
        long warehouseRows = right.values().stream().mapToLong(RangeChecksum::rows).sum();
        TableComparator comparator = new TableComparator(maxReported);
        long differences = 0;
        List<TableDifference> reported = new ArrayList<>();
        List<KeyRange> ranges = new ArrayList<>();
        for (long bucket : differing) {
            String predicate = buckets.predicate(bucket);
            Iterator<VerifyRow> sourceRange = source.scan(cellId, table, predicate);
            Iterator<VerifyRow> warehouseRange = warehouse.scan(cellId, table, predicate);
            try {
                TableComparator.Result result = comparator.compare(cellId, table, sourceRange, warehouseRange);
                // equal sums with different rows cannot be told apart from a hash collision; the row comparison decides
                differences += result.differenceCount();
                if (!result.matches()) {
                    ranges.add(buckets.range(bucket));
                }
                for (TableDifference difference : result.differences()) {
                    if (reported.size() < maxReported) {
                        reported.add(difference);
                    }
                }
            } finally {
                close(sourceRange);
                close(warehouseRange);
            }
        }
        return new Result(new TableComparator.Result(cellId, table, sourceRows, warehouseRows, differences, List.copyOf(reported)),
                buckets.count(), List.copyOf(ranges));
    }

    private static TreeSet<Long> union(Map<Long, RangeChecksum> left, Map<Long, RangeChecksum> right) {
        TreeSet<Long> all = new TreeSet<>(left.keySet());
        all.addAll(right.keySet());
        return all;
    }

    private static void close(Iterator<VerifyRow> rows) throws Exception {
        if (rows instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
