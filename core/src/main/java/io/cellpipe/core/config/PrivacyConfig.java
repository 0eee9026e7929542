package io.cellpipe.core.config;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.TableId;
import io.cellpipe.core.privacy.ColumnPattern;
import io.cellpipe.core.privacy.ColumnPolicy;
import io.cellpipe.core.privacy.HashKey;
import io.cellpipe.core.privacy.Normalization;
import io.cellpipe.core.privacy.RowFilter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Column policies applied in the capture process (architecture invariant 6). {@code columns} maps
 * {@code schema.table.column} patterns to policies in file order; {@code defaultPolicy} ({@code keep}
 * or {@code drop}) applies to columns no pattern matches; {@code normalization} overrides how a
 * category's values are spelled before hashing; {@code rowFilters} limit tables to some of their
 * rows. {@link #toString} shows key fingerprints only.
 */
public record PrivacyConfig(Map<String, HashKey> keys, Map<String, ColumnPolicy> columns, ColumnPolicy defaultPolicy,
        Map<String, Normalization> normalization, Map<TableId, RowFilter> rowFilters) {
    public PrivacyConfig {
        keys = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(keys, "keys is null")));
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(columns, "columns is null")));
        requireNonNull(defaultPolicy, "defaultPolicy is null");
        normalization = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(normalization, "normalization is null")));
        rowFilters = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(rowFilters, "rowFilters is null")));
        if (defaultPolicy != ColumnPolicy.KEEP && defaultPolicy != ColumnPolicy.DROP) {
            throw new IllegalArgumentException("privacy.default must be keep or drop, not " + defaultPolicy);
        }
        for (Map.Entry<String, ColumnPolicy> column : columns.entrySet()) {
            new ColumnPattern(column.getKey(), 0);
            ColumnPolicy policy = column.getValue();
            if (policy.action() == ColumnPolicy.Action.HASH && !keys.containsKey(policy.category())) {
                throw new IllegalArgumentException("privacy.columns.\"" + column.getKey() + "\" is " + policy + ", but privacy.keys has no key '"
                        + policy.category() + "'; add privacy.keys." + policy.category() + ": ${SOME_VARIABLE} (or file:/path/to/key)");
            }
        }
        for (String category : normalization.keySet()) {
            if (!keys.containsKey(category)) {
                throw new IllegalArgumentException("privacy.normalize." + category + " names a key category that privacy.keys does not have");
            }
        }
    }

    /** No policies: every column is kept. */
    public static PrivacyConfig none() {
        return new PrivacyConfig(Map.of(), Map.of(), ColumnPolicy.KEEP, Map.of(), Map.of());
    }

    public boolean isEmpty() {
        return columns.isEmpty() && defaultPolicy == ColumnPolicy.KEEP;
    }

    /** The row filter of a table, or null when all its rows are captured. */
    public RowFilter rowFilter(TableId table) {
        return rowFilters.get(table);
    }

    public Normalization normalizationOf(String category) {
        return normalization.getOrDefault(category, Normalization.defaultFor(category));
    }
}
