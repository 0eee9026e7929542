package io.cellpipe.core.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the values of a {@link RowFilter.Values} filter from a CSV file: the first field of every
 * line, unquoted ({@code "a ""b"""} is {@code a "b"}) and trimmed. Blank lines and lines starting
 * with {@code #} are skipped, and so is a first line whose first field is the column's name (a header).
 */
public final class ValuesFile {
    private ValuesFile() {
    }

    public static List<String> read(Path file, String column) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Set<String> values = new LinkedHashSet<>();
        boolean first = true;
        for (String line : lines) {
            String text = first && line.startsWith("\uFEFF") ? line.substring(1) : line;
            if (text.isBlank() || text.stripLeading().startsWith("#")) {
                continue;
            }
            String value = firstField(text);
            if (!(first && value.equals(column)) && !value.isEmpty()) {
                values.add(value);
            }
            first = false;
        }
        return new ArrayList<>(values);
    }

    static String firstField(String line) {
        String text = line.strip();
        if (!text.startsWith("\"")) {
            int comma = text.indexOf(',');
            return (comma < 0 ? text : text.substring(0, comma)).strip();
        }
        StringBuilder value = new StringBuilder();
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    value.append('"');
                    i++;
                } else {
                    return value.toString().strip();
                }
            } else {
                value.append(c);
            }
        }
        throw new IllegalArgumentException("a quoted value is not closed: " + line);
    }
}
