package io.cellpipe.duckdb;

import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableSchema;

/**
 * A row image as a JSON object of column name to PostgreSQL text (strings, or null for SQL NULL).
 * Unchanged TOAST columns are left out: their value was not sent.
 */
final class JsonImage {
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

    private static void string(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
