package io.cellpipe.duckdb;

import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableSchema;

/**
 * A row image as a JSON object of column name to PostgreSQL text (strings, or null for SQL NULL).
 * Unchanged TOAST columns are left out: their value was not sent.
 */
final class JsonImage {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonImage() {
    }

    static String of(TableSchema schema, RowImage image) {
        return image == null ? null : write(schema, image, null);
    }

    /** Only the columns at {@code indexes} (the key). */
    static String of(TableSchema schema, RowImage image, int[] indexes) {
        return write(schema, image, indexes);
    }

    private static String write(TableSchema schema, RowImage image, int[] indexes) {
        StringBuilder json = new StringBuilder(64).append('{');
        int count = indexes == null ? Math.min(image.size(), schema.columns().size()) : indexes.length;
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
            string(json, schema.columns().get(index).name());
            json.append(':');
            String value = image.value(index);
            if (value == null) {
                json.append("null");
            } else {
                string(json, value);
            }
        }
        return json.append('}').toString();
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
