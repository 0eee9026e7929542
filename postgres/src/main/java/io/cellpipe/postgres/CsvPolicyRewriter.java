package io.cellpipe.postgres;

import io.cellpipe.core.privacy.TablePolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Applies a table's column policies to rows of PostgreSQL's {@code COPY ... (FORMAT csv)}: the
 * fields of hashed and redacted columns are read, transformed and written again, every other
 * field's bytes are passed on as they came. A row is one {@code CopyData} message: fields
 * separated by commas, a field quoted with {@code "} (a quote inside doubled) when it must be,
 * NULL an empty unquoted field, a line feed at the end.
 */
final class CsvPolicyRewriter {
    private final TablePolicy policy;
    private final int columns;
    private final boolean[] transformed;
    private byte[] field = new byte[256];

    CsvPolicyRewriter(TablePolicy policy) {
        this.policy = policy;
        this.columns = policy.schema().columns().size();
        this.transformed = new boolean[columns];
        for (int index = 0; index < columns; index++) {
            transformed[index] = !policy.keepsValue(index);
        }
    }

    void write(byte[] row, OutputStream out) throws IOException {
        int end = row.length;
        if (end > 0 && row[end - 1] == '\n') {
            end--;
        }
        int start = 0;
        int written = 0;
        for (int column = 0; column < columns; column++) {
            if (start > end) {
                throw new IllegalStateException("a CSV row of the snapshot has " + column + " fields, expected " + columns);
            }
            int fieldEnd = fieldEnd(row, start, end);
            if (transformed[column]) {
                out.write(row, written, start - written);
                writeField(policy.apply(column, value(row, start, fieldEnd)), out);
                written = fieldEnd;
            }
            start = fieldEnd + 1;
        }
        if (start != end + 1) {
            throw new IllegalStateException("a CSV row of the snapshot has more than " + columns + " fields");
        }
        out.write(row, written, row.length - written);
    }

    /** The index of the comma or row end after the field at {@code start}. */
    private static int fieldEnd(byte[] row, int start, int end) {
        int i = start;
        if (i < end && row[i] == '"') {
            i++;
            while (i < end) {
                if (row[i] == '"') {
                    if (i + 1 < end && row[i + 1] == '"') {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i++;
            }
            throw new IllegalStateException("a quoted CSV field of the snapshot is not closed");
        }
        while (i < end && row[i] != ',') {
            i++;
        }
        return i;
    }

    /** The field's text, null for NULL. */
    private String value(byte[] row, int start, int end) {
        if (start == end) {
            return null;
        }
        if (row[start] != '"') {
            return new String(row, start, end - start, StandardCharsets.UTF_8);
        }
        int length = 0;
        for (int i = start + 1; i < end - 1; i++) {
            if (length == field.length) {
                field = Arrays.copyOf(field, field.length * 2);
            }
            field[length++] = row[i];
            if (row[i] == '"') {
                i++;
            }
        }
        return new String(field, 0, length, StandardCharsets.UTF_8);
    }

    /** Quoted when empty or holding a separator, a quote or a line break, as PostgreSQL writes it; nothing for NULL. */
    private static void writeField(String value, OutputStream out) throws IOException {
        if (value == null) {
            return;
        }
        boolean quote = value.isEmpty();
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            out.write(value.getBytes(StandardCharsets.UTF_8));
            return;
        }
        out.write('"');
        out.write(value.replace("\"", "\"\"").getBytes(StandardCharsets.UTF_8));
        out.write('"');
    }
}
