package io.cellpipe.duckdb;

import io.cellpipe.core.model.RowImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads rows as PostgreSQL's {@code COPY ... TO STDOUT (FORMAT csv)} writes them with its
 * defaults: fields separated by commas, quoted with {@code "} when they hold a comma, a quote, a
 * line break or nothing, a quote inside doubled, NULL as an empty unquoted field, each row ending
 * with a line feed. For the rows of a snapshot file that DuckDB's CSV load refused.
 */
final class PostgresCsvReader {
    private final InputStream in;
    private final int columns;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] field = new byte[256];

    PostgresCsvReader(InputStream in, int columns) {
        this.in = in;
        this.columns = columns;
    }

    /** The next row, null at the end of the input. */
    RowImage next() throws IOException {
        int first = read();
        if (first < 0) {
            return null;
        }
        String[] values = new String[columns];
        int column = 0;
        int b = first;
        while (true) {
            if (column == columns) {
                throw new IOException("a CSV row has more than " + columns + " fields");
            }
            int length = 0;
            boolean quoted = b == '"';
            if (quoted) {
                while (true) {
                    b = read();
                    if (b < 0) {
                        throw new IOException("a quoted CSV field is not closed before the end of the file");
                    }
                    if (b == '"') {
                        b = read();
                        if (b != '"') {
                            break;
                        }
                    }
                    length = append(length, b);
                }
            } else {
                while (b >= 0 && b != ',' && b != '\n') {
                    length = append(length, b);
                    b = read();
                }
            }
            values[column++] = !quoted && length == 0 ? null : new String(field, 0, length, StandardCharsets.UTF_8);
            if (b == ',') {
                b = read();
                continue;
            }
            if (b == '\n' || b < 0) {
                break;
            }
            throw new IOException("a quoted CSV field is followed by '" + (char) b + "' instead of a comma or the row's end");
        }
        if (column != columns) {
            throw new IOException("a CSV row has " + column + " fields, expected " + columns);
        }
        return new RowImage(values, null);
    }

    private int append(int length, int b) {
        if (length == field.length) {
            field = Arrays.copyOf(field, field.length * 2);
        }
        field[length] = (byte) b;
        return length + 1;
    }

    private int read() throws IOException {
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        return buffer[position++] & 0xFF;
    }
}
