package io.cellpipe.core.config;

import io.cellpipe.core.model.TableId;
import java.util.List;
import java.util.regex.Pattern;

/** Which tables are captured: {@code schema.table} patterns where {@code *} matches any run of characters. */
public record TableSelection(List<String> include, List<String> exclude) {
    public TableSelection {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        if (include.isEmpty()) {
            throw new IllegalArgumentException("tables.include must name at least one pattern, e.g. [\"public.*\"]");
        }
        for (String pattern : include) {
            validate(pattern);
        }
        for (String pattern : exclude) {
            validate(pattern);
        }
    }

    public static TableSelection all() {
        return new TableSelection(List.of("public.*"), List.of());
    }

    public boolean includes(TableId table) {
        return matchesAny(include, table) && !matchesAny(exclude, table);
    }

    private static boolean matchesAny(List<String> patterns, TableId table) {
        for (String pattern : patterns) {
            if (toRegex(pattern).matcher(table.qualified()).matches()) {
                return true;
            }
        }
        return false;
    }

    private static void validate(String pattern) {
        if (!pattern.contains(".")) {
            throw new IllegalArgumentException("table pattern '" + pattern + "' must be schema.table, e.g. public.* or public.users");
        }
    }

    private static Pattern toRegex(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
