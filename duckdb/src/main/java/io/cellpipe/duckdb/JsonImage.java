package io.cellpipe.duckdb;

import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes row images of one shape as JSON objects of column name to PostgreSQL text (strings, or
 * null for SQL NULL), encoded as UTF-8: the bytes the DuckDB appender stores, so a change log row
 * is encoded once instead of built as a {@code String} and then encoded again by the appender.
 * Unchanged TOAST columns are left out: their value was not sent. Each column's {@code "name":}
 * is escaped and encoded once, when the shape is first seen, not once per row.
 */
final class JsonImage {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    /** {@code "name":} per column, escaped, as UTF-8. */
    private final byte[][] names;

    private JsonImage(byte[][] names) {
        this.names = names;
    }

    static JsonImage forShape(TableSchema schema) {
        byte[][] names = new byte[schema.columns().size()][];
        Writer writer = new Writer();
        for (int i = 0; i < names.length; i++) {
            writer.length = 0;
            writer.string(schema.columns().get(i).name());
            writer.put((byte) ':');
            names[i] = writer.toBytes();
        }
        return new JsonImage(names);
    }

    /** The whole image, as text; null for none. For tests and messages, not the change log's path. */
    static String text(TableSchema schema, RowImage image) {
        byte[] json = forShape(schema).of(image, new Writer());
        return json == null ? null : new String(json, StandardCharsets.UTF_8);
    }

    /** Only the columns at {@code indexes}, as text. */
    static String text(TableSchema schema, RowImage image, int[] indexes) {
        return new String(forShape(schema).of(image, indexes, new Writer()), StandardCharsets.UTF_8);
    }

    /** The whole image; null for none. {@code writer} is scratch space, reused by one thread. */
    byte[] of(RowImage image, Writer writer) {
        return image == null ? null : write(image, null, writer);
    }

    /** Only the columns at {@code indexes} (the key). */
    byte[] of(RowImage image, int[] indexes, Writer writer) {
        return write(image, indexes, writer);
    }

    private byte[] write(RowImage image, int[] indexes, Writer writer) {
        writer.length = 0;
        writer.put((byte) '{');
        int count = indexes == null ? Math.min(image.size(), names.length) : indexes.length;
        boolean first = true;
        for (int i = 0; i < count; i++) {
            int index = indexes == null ? i : indexes[i];
            if (image.isUnchangedToast(index)) {
                continue;
            }
            if (!first) {
                writer.put((byte) ',');
            }
            first = false;
            writer.put(names[index]);
            String value = image.value(index);
            if (value == null) {
                writer.put(NULL);
            } else {
                writer.string(value);
            }
        }
        writer.put((byte) '}');
        return writer.toBytes();
    }

    /**
     * A growable byte buffer that JSON strings are encoded into; one per thread that writes images
     * (a batch's change log writer), so no row allocates more than the array it returns.
     */
    static final class Writer {
        private byte[] bytes = new byte[256];
        private int length;

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        private void put(byte b) {
            ensure(1);
            bytes[length++] = b;
        }

        private void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
        }

        private byte[] toBytes() {
            return Arrays.copyOf(bytes, length);
        }

        /**
         * Appends {@code text} as a JSON string in UTF-8. Most chars are ASCII that needs no escape:
         * room for all of them at one byte each is made once, and each is stored as it is. Any
         * other char first makes room for its own worst case (six bytes, for a control char's hex
         * escape) and the rest of the text at one byte each.
         */
        private void string(String text) {
            int count = text.length();
            ensure(count + 2);
            byte[] out = bytes;
            int at = length;
            out[at++] = '"';
            for (int i = 0; i < count; i++) {
                char c = text.charAt(i);
                if (c < 0x80 && c >= 0x20 && c != '"' && c != '\\') {
                    out[at++] = (byte) c;
                    continue;
                }
                length = at;
                ensure(6 + count - i);
                out = bytes;
                at = length;
                if (c < 0x80) {
                    at = escape(out, at, c);
                } else if (c < 0x800) {
                    out[at++] = (byte) (0xC0 | c >> 6);
                    out[at++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isHighSurrogate(c) && i + 1 < count && Character.isLowSurrogate(text.charAt(i + 1))) {
                    int code = Character.toCodePoint(c, text.charAt(++i));
                    out[at++] = (byte) (0xF0 | code >> 18);
                    out[at++] = (byte) (0x80 | code >> 12 & 0x3F);
                    out[at++] = (byte) (0x80 | code >> 6 & 0x3F);
                    out[at++] = (byte) (0x80 | code & 0x3F);
                } else if (Character.isSurrogate(c)) {
                    // a lone surrogate has no UTF-8 form; String.getBytes writes '?' for it too
                    out[at++] = '?';
                } else {
                    out[at++] = (byte) (0xE0 | c >> 12);
                    out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                    out[at++] = (byte) (0x80 | c & 0x3F);
                }
            }
            out[at++] = '"';
            length = at;
        }

        private static int escape(byte[] out, int at, char c) {
            out[at++] = '\\';
            switch (c) {
                case '"' -> out[at++] = '"';
                case '\\' -> out[at++] = '\\';
                case '\n' -> out[at++] = 'n';
                case '\r' -> out[at++] = 'r';
                case '\t' -> out[at++] = 't';
                default -> {
                    out[at++] = 'u';
                    out[at++] = '0';
                    out[at++] = '0';
                    out[at++] = HEX[c >> 4];
                    out[at++] = HEX[c & 0xF];
                }
            }
            return at;
        }
    }
}
