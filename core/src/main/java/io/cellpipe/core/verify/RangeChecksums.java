package io.cellpipe.core.verify;

import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.TableSchema;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A side of verification that can summarize a table per key range in the database itself (so only a
 * few numbers per range cross the network), and read one range's rows.
 *
 * <p>The row hash is the first 60 bits of the MD5 of the row's canonical text: for each
 * {@linkplain #checksummed checksummed} column in schema order, {@code n} for NULL, else {@code v},
 * the value's length in characters, {@code :} and the value, joined with {@code |}. Each side must spell
 * a value exactly as the other does; {@link #checksummed} keeps only kinds for which both can.
 */
public interface RangeChecksums {
    /** Kinds both sides spell alike in SQL (timestamps as epoch microseconds). */
    Set<ColumnKind> CHECKSUMMED_KINDS = Set.of(ColumnKind.BOOLEAN, ColumnKind.INT16, ColumnKind.INT32, ColumnKind.INT64,
            ColumnKind.DECIMAL, ColumnKind.NUMERIC_TEXT, ColumnKind.TEXT, ColumnKind.DATE, ColumnKind.TIMESTAMP, ColumnKind.TIMESTAMPTZ,
            ColumnKind.UUID, ColumnKind.BYTES);

    /** The key's smallest and largest value and the (estimated) row count; empty for an empty table. */
    Optional<long[]> keyBounds(String cellId, TableSchema table);

    /** Per bucket with live rows, its checksum. */
    Map<Long, RangeChecksum> checksums(String cellId, TableSchema table, KeyBuckets buckets);

    /** Like {@link RowSource#scan}, limited to the rows matching {@code predicate} (SQL valid on both sides). */
    Iterator<VerifyRow> scan(String cellId, TableSchema table, String predicate);

    /**
     * The columns in the row hash: those of a checksummed kind whose value the warehouse keeps as the
     * cell has it (not hashed or redacted by a privacy policy: the cell cannot compute those in SQL).
     * The row comparison inside a differing range still compares every column.
     */
    static List<Column> checksummed(TableSchema table) {
        return table.columns().stream().filter(column -> CHECKSUMMED_KINDS.contains(column.type().kind()))
                .filter(column -> !column.type().sourceType().startsWith("hash:") && !column.type().sourceType().startsWith("redact("))
                .toList();
    }

    /** Whether a table can be verified by range: one integer key column, kept as is. */
    static boolean supports(TableSchema table) {
        List<Column> keys = table.keyColumns();
        if (keys.size() != 1) {
            return false;
        }
        Column key = keys.get(0);
        ColumnKind kind = key.type().kind();
        return (kind == ColumnKind.INT16 || kind == ColumnKind.INT32 || kind == ColumnKind.INT64)
                && !key.type().sourceType().startsWith("hash:");
    }
}
