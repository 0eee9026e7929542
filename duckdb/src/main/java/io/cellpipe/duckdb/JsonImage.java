package io.cellpipe.duckdb;

import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableSchema;

/**
 * Writes row images of one shape as JSON objects of column name to PostgreSQL text (strings, or
 * null for SQL NULL). Unchanged TOAST columns are left out: their value was not sent. Each
 * column's {@code "name":} is escaped once, when the shape is first seen, not once per row.
 */
final class JsonImage {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** {@code "name":} per column, escaped. */
    private final String[] names;
    /** A sizing hint only: a racing write between threads would cost at most a builder resize. */
    private int lastLength = 64;

    private JsonImage(String[] names) {
        this.names = names;
    }

    static JsonImage forShape(TableSchema schema) {
        String[] names = new String[schema.columns().size()];
        for (int i = 0; i < names.length; i++) {
            StringBuilder name = new StringBuilder();
            string(name, schema.columns().get(i).name());
            names[i] = name.append(':').toString();
        }
        return new JsonImage(names);
    }

    static String of(TableSchema schema, RowImage image) {
        return forShape(schema).of(image);
    }

    static String of(TableSchema schema, RowImage image, int[] indexes) {
        return forShape(schema).of(image, indexes);
    }

    /** The whole image; null for none. */
    String of(RowImage image) {
        return image == null ? null : write(image, null);
    }

    /** Only the columns at {@code indexes} (the key). */
    String of(RowImage image, int[] indexes) {
        return write(image, indexes);
    }

    private String write(RowImage image, int[] indexes) {
        // sized like the previous image of the shape, so most rows never grow the builder
        StringBuilder json = new StringBuilder(lastLength + 16).append('{');
        int count = indexes == null ? Math.min(image.size(), names.length) : indexes.length;
        boolean first = true;
        for (int i = 0; i < count; i++) {
            int index = indexes == null ? i : indexes[i];
            if (image.isUnchangedToast(index)) {
                continue;
            }
            if (!first) {
                json.append(',');
            }
            first = false;
            json.append(names[index]);
            String value = image.value(index);
            if (value == null) {
                json.append("null");
            } else {
                string(json, value);
            }
        }
        json.append('}');
        if (indexes == null) {
            lastLength = json.length();
        }
        return json.toString();
    }

    /**
     * Appends {@code text} as a JSON string. Runs of characters that need no escape are copied in
     * one append (most values have none), not one char at a time.
     */
    private static void string(StringBuilder json, String text) {
        json.append('"');
        int length = text.length();
        int run = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            json.append(text, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        json.append(text, run, length).append('"');
    }
}
