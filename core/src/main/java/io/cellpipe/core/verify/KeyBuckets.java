package io.cellpipe.core.verify;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.KeyRange;
import io.cellpipe.core.model.TableId;
import java.util.List;

/**
 * Splits the values of a table's one integer key column into {@code count} ranges of {@code width}
 * values from {@code min}: bucket {@code b} holds keys {@code min + b * width} up to, not including,
 * {@code min + (b + 1) * width}. Both sides compute the bucket of a key as {@code (key - min) / width}
 * with integer division, which is a floor because no key is below {@code min}.
 */
public record KeyBuckets(String keyColumn, long min, long width, long count) {
    public KeyBuckets {
        requireNonNull(keyColumn, "keyColumn is null");
        if (width < 1 || count < 1) {
            throw new IllegalArgumentException("bucket width and count must be positive: " + width + ", " + count);
        }
    }

    /** Buckets of about {@code rowsPerBucket} rows over {@code [min, max]}, assuming keys spread evenly. */
    public static KeyBuckets over(String keyColumn, long min, long max, long rows, long rowsPerBucket) {
        long span = Math.max(1, max - min + 1);
        long wanted = Math.max(1, Math.min(100_000, (rows + rowsPerBucket - 1) / rowsPerBucket));
        long width = Math.max(1, (span + wanted - 1) / wanted);
        return new KeyBuckets(keyColumn, min, width, (span + width - 1) / width);
    }

    public long lower(long bucket) {
        return min + bucket * width;
    }

    /** Exclusive. */
    public long upper(long bucket) {
        return lower(bucket) + width;
    }

    /** The bucket's keys as a SQL predicate valid in PostgreSQL and DuckDB alike. */
    public String predicate(long bucket) {
        String column = TableId.quote(keyColumn);
        return column + " >= " + lower(bucket) + " AND " + column + " < " + upper(bucket);
    }

    /** The bucket's keys as a resync's key range. */
    public KeyRange range(long bucket) {
        return new KeyRange(List.of(Long.toString(lower(bucket))), List.of(Long.toString(upper(bucket) - 1)));
    }

    /** The bucket number of a row, as SQL; {@code integerDivision} is {@code /} in PostgreSQL, {@code //} in DuckDB. */
    public String bucketExpression(String integerDivision) {
        return "((" + TableId.quote(keyColumn) + " - (" + min + ")) " + integerDivision + " " + width + ")";
    }
}
