package io.cellpipe.core.privacy;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.config.PrivacyConfig;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.spi.CaptureException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides, per table shape, what each column becomes before a change is created (architecture
 * invariant 6): kept, dropped, hashed with a key, or redacted. {@link #forTable} is called once
 * per table shape (a Relation message, a snapshot table); the {@link TablePolicy} it returns is kept
 * next to that shape, so the hot path only maps values. Thread-safe.
 */
public final class ColumnPolicies {
    /** What a redacted text-like column holds instead of its value. */
    public static final String REDACTED = "[redacted]";

    private final PrivacyConfig config;
    private final List<Map.Entry<ColumnPattern, ColumnPolicy>> rules;

    public ColumnPolicies(PrivacyConfig config) {
        this.config = requireNonNull(config, "config is null");
        List<Map.Entry<ColumnPattern, ColumnPolicy>> rules = new ArrayList<>();
        int order = 0;
        for (Map.Entry<String, ColumnPolicy> column : config.columns().entrySet()) {
            rules.add(Map.entry(new ColumnPattern(column.getKey(), order++), column.getValue()));
        }
        rules.sort(Map.Entry.comparingByKey(ColumnPattern.MOST_SPECIFIC_FIRST));
        this.rules = List.copyOf(rules);
    }

    public static ColumnPolicies none() {
        return new ColumnPolicies(PrivacyConfig.none());
    }

    public PrivacyConfig config() {
        return config;
    }

    /** The policy of one column: the most specific matching pattern's, else the default. */
    public ColumnPolicy policyOf(String schema, String table, String column) {
        ColumnPolicy matched = matching(schema, table, column);
        return matched == null ? config.defaultPolicy() : matched;
    }

    private ColumnPolicy matching(String schema, String table, String column) {
        for (Map.Entry<ColumnPattern, ColumnPolicy> rule : rules) {
            if (rule.getKey().matches(schema, table, column)) {
                return rule.getValue();
            }
        }
        return null;
    }

    /**
     * Whether every column {@code source} may gain later would be dropped: {@code default: drop}, and
     * every pattern of this table that keeps, hashes or redacts names one of its present columns.
     * Only then is listing the kept columns in a PostgreSQL publication (a column list) exact: the
     * publication would not publish a column added later either, so a list is never narrower than
     * the policies.
     */
    public boolean dropsColumnsAddedLater(TableSchema source) {
        requireNonNull(source, "source is null");
        if (config.defaultPolicy() != ColumnPolicy.DROP) {
            return false;
        }
        for (Map.Entry<ColumnPattern, ColumnPolicy> rule : rules) {
            ColumnPattern pattern = rule.getKey();
            if (rule.getValue().action() == ColumnPolicy.Action.DROP || !pattern.matchesTable(source.id().schema(), source.id().name())) {
                continue;
            }
            String column = pattern.literalColumn();
            if (column == null || source.columns().stream().noneMatch(present -> present.name().equals(column))) {
                return false;
            }
        }
        return true;
    }

    /**
     * How rows of {@code source} are transformed.
     *
     * @throws CaptureException (not retriable) when a pattern would drop a key column: the warehouse
     *     could no longer tell the table's rows apart (an unmatched key column is kept even with
     *     {@code default: drop})
     */
    public TablePolicy forTable(TableSchema source) {
        requireNonNull(source, "source is null");
        if (config.isEmpty()) {
            return TablePolicy.identity(source);
        }
        List<Column> columns = new ArrayList<>(source.columns().size());
        List<Integer> positions = new ArrayList<>(source.columns().size());
        List<ValueTransform> transforms = new ArrayList<>(source.columns().size());
        boolean changed = false;
        for (int i = 0; i < source.columns().size(); i++) {
            Column column = source.columns().get(i);
            ColumnPolicy matched = matching(source.id().schema(), source.id().name(), column.name());
            // default: drop never drops a key column; only a pattern naming it can, and that is refused below.
            ColumnPolicy policy = matched != null ? matched : column.key() ? ColumnPolicy.KEEP : config.defaultPolicy();
            if (policy.action() == ColumnPolicy.Action.DROP) {
                if (column.key()) {
                    throw new CaptureException("privacy: column " + source.id() + "." + column.name() + " is part of the table's key, and its"
                            + " policy is drop; a key column may be hashed or kept, never dropped. Add a more specific privacy.columns entry"
                            + " for it (e.g. \"" + source.id() + "." + column.name() + "\": hash)", false);
                }
                changed = true;
                continue;
            }
            ValueTransform transform = transform(policy, column.type().kind());
            positions.add(i);
            transforms.add(transform);
            if (transform == null) {
                columns.add(column);
            } else {
                changed = true;
                columns.add(new Column(column.name(), transform.type(column.type()), column.key(), transform.apply(column.missingValue())));
            }
        }
        if (!changed) {
            return TablePolicy.identity(source);
        }
        if (columns.isEmpty()) {
            throw new CaptureException("privacy: every column of " + source.id() + " is dropped; exclude the table in tables.exclude instead", false);
        }
        return new TablePolicy(source, new TableSchema(source.id(), columns), positions.stream().mapToInt(Integer::intValue).toArray(),
                transforms.toArray(ValueTransform[]::new));
    }

    private ValueTransform transform(ColumnPolicy policy, ColumnKind kind) {
        return switch (policy.action()) {
            case KEEP, DROP -> null;
            case HASH -> new ValueTransform.Hash(config.keys().get(policy.category()), config.normalizationOf(policy.category()));
            case REDACT -> kind == ColumnKind.TEXT || kind == ColumnKind.JSON ? new ValueTransform.RedactText() : new ValueTransform.RedactToNull();
        };
    }

    /** What one kept-but-changed column's values and type become. */
    sealed interface ValueTransform {
        String apply(String value);

        ColumnType type(ColumnType source);

        record Hash(HashKey key, Normalization normalization) implements ValueTransform {
            @Override
            public String apply(String value) {
                return value == null ? null : key.hash(normalization.apply(value));
            }

            @Override
            public ColumnType type(ColumnType source) {
                return ColumnType.of(ColumnKind.TEXT, "hash:" + key.category() + "(" + source.sourceType() + ")");
            }
        }

        record RedactText() implements ValueTransform {
            @Override
            public String apply(String value) {
                return value == null ? null : REDACTED;
            }

            @Override
            public ColumnType type(ColumnType source) {
                return ColumnType.of(ColumnKind.TEXT, "redact(" + source.sourceType() + ")");
            }
        }

        /** A non-text column keeps its type and holds only NULLs. */
        record RedactToNull() implements ValueTransform {
            @Override
            public String apply(String value) {
                return null;
            }

            @Override
            public ColumnType type(ColumnType source) {
                return new ColumnType(source.kind(), source.precision(), source.scale(), "redact(" + source.sourceType() + ")");
            }
        }
    }
}
