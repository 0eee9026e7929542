package io.cellpipe.core.privacy;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * A {@code schema.table.column} pattern where {@code *} matches any run of characters within one part.
 * When several patterns match a column the most specific wins: the one with more parts written
 * without {@code *}, then the one with more literal characters, then the one written first.
 */
public record ColumnPattern(String text, int order) {
    /** Most specific first. */
    public static final Comparator<ColumnPattern> MOST_SPECIFIC_FIRST = Comparator.comparingInt(ColumnPattern::exactParts).reversed()
            .thenComparing(Comparator.comparingInt(ColumnPattern::literalCharacters).reversed())
            .thenComparingInt(ColumnPattern::order);

    public ColumnPattern {
        requireNonNull(text, "text is null");
        String[] parts = text.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new IllegalArgumentException("column pattern '" + text + "' must be schema.table.column, e.g. public.users.email or *.*.ip_address");
        }
    }

    public boolean matches(String schema, String table, String column) {
        String[] parts = text.split("\\.", -1);
        return matches(parts[0], schema) && matches(parts[1], table) && matches(parts[2], column);
    }

    /** Whether the pattern's schema and table parts match, whatever the column. */
    public boolean matchesTable(String schema, String table) {
        String[] parts = text.split("\\.", -1);
        return matches(parts[0], schema) && matches(parts[1], table);
    }

    /** The column part, when it is written without {@code *}; else null. */
    public String literalColumn() {
        String column = text.split("\\.", -1)[2];
        return column.indexOf('*') < 0 ? column : null;
    }

    int exactParts() {
        int exact = 0;
        for (String part : text.split("\\.", -1)) {
            if (part.indexOf('*') < 0) {
                exact++;
            }
        }
        return exact;
    }

    int literalCharacters() {
        return text.replace("*", "").replace(".", "").length();
    }

    private static boolean matches(String pattern, String name) {
        if (pattern.indexOf('*') < 0) {
            return pattern.equals(name);
        }
        StringBuilder regex = new StringBuilder();
        for (String literal : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(literal));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(name).matches();
    }
}
