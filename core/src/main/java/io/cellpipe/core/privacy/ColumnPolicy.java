package io.cellpipe.core.privacy;

import static java.util.Objects.requireNonNull;

/**
 * What happens to one column's values before they leave the capture process. {@code category}
 * names the {@link HashKey} of a {@link Action#HASH} policy ({@code default} for a plain {@code hash}).
 */
public record ColumnPolicy(Action action, String category) {
    public static final ColumnPolicy KEEP = new ColumnPolicy(Action.KEEP, null);
    public static final ColumnPolicy DROP = new ColumnPolicy(Action.DROP, null);
    public static final ColumnPolicy REDACT = new ColumnPolicy(Action.REDACT, null);
    public static final String DEFAULT_CATEGORY = "default";

    public enum Action {
        KEEP,
        DROP,
        HASH,
        REDACT
    }

    public ColumnPolicy {
        requireNonNull(action, "action is null");
        if ((action == Action.HASH) != (category != null)) {
            throw new IllegalArgumentException("a hash policy needs a key category, and only a hash policy has one");
        }
    }

    /** Parses {@code keep}, {@code drop}, {@code hash}, {@code hash:<category>} or {@code redact}. */
    public static ColumnPolicy parse(String text) {
        requireNonNull(text, "text is null");
        String policy = text.trim();
        if (policy.startsWith("hash:")) {
            String category = policy.substring("hash:".length());
            if (!category.matches("[a-z][a-z0-9_]{0,40}")) {
                throw new IllegalArgumentException("'" + text + "' names key category '" + category
                        + "'; categories are lower-case letters, digits and '_'");
            }
            return new ColumnPolicy(Action.HASH, category);
        }
        return switch (policy) {
            case "keep" -> KEEP;
            case "drop" -> DROP;
            case "redact" -> REDACT;
            case "hash" -> new ColumnPolicy(Action.HASH, DEFAULT_CATEGORY);
            default -> throw new IllegalArgumentException("'" + text + "' is not a column policy; use keep, drop, hash, hash:<category> or redact");
        };
    }

    @Override
    public String toString() {
        return action == Action.HASH ? "hash:" + category : action.name().toLowerCase();
    }
}
