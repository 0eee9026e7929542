package io.cellpipe.core.privacy;

import java.util.Locale;

/**
 * How a value is spelled before it is hashed, so that {@code Alice@Example.com } and
 * {@code alice@example.com} give the same hash. Applies to hashing only; kept values are untouched.
 */
public enum Normalization {
    NONE,
    TRIM,
    TRIM_LOWER;

    public String apply(String value) {
        return switch (this) {
            case NONE -> value;
            case TRIM -> value.strip();
            case TRIM_LOWER -> value.strip().toLowerCase(Locale.ROOT);
        };
    }

    /** Parses {@code none}, {@code trim} or {@code trim_lower}. */
    public static Normalization parse(String text) {
        return switch (text.trim()) {
            case "none" -> NONE;
            case "trim" -> TRIM;
            case "trim_lower" -> TRIM_LOWER;
            default -> throw new IllegalArgumentException("'" + text + "' is not a normalization; use none, trim or trim_lower");
        };
    }

    /** {@code email} is trimmed and lower-cased unless configured otherwise; every other category is hashed as is. */
    public static Normalization defaultFor(String category) {
        return "email".equals(category) ? TRIM_LOWER : NONE;
    }
}
