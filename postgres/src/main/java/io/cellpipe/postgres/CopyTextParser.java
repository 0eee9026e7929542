package io.cellpipe.postgres;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses one row of {@code COPY ... TO STDOUT} text format: tab-separated fields, {@code \N} for
 * NULL, backslash escapes. The values are then exactly the text output of each column's type,
 * as logical replication would send them.
 */
final class CopyTextParser {
    private byte[] field = new byte[256];

    String[] parse(byte[] row, int columns) {
        String[] values = new String[columns];
        int end = row.length;
        if (end > 0 && row[end - 1] == '\n') {
            end--;
        }
        int column = 0;
        int start = 0;
        while (true) {
            if (column >= columns) {
                throw new IllegalStateException("COPY row has more than " + columns + " fields");
            }
            // most fields have no escape: found in one scan and decoded straight from the row
            int i = start;
            while (i < end && row[i] != '\t' && row[i] != '\\') {
                i++;
            }
            if (i < end && row[i] == '\\') {
                i = unescape(row, start, end, values, column);
            } else {
                values[column] = new String(row, start, i - start, StandardCharsets.UTF_8);
            }
            column++;
            if (i >= end) {
                break;
            }
            start = i + 1;
        }
        if (column != columns) {
            throw new IllegalStateException("COPY row has " + column + " fields, expected " + columns);
        }
        return values;
    }

    /** Reads the field from {@code start}, which has an escape, into {@code values[column]}; returns the index of the tab or end after it. */
    private int unescape(byte[] row, int start, int end, String[] values, int column) {
        int length = 0;
        boolean isNull = false;
        int i = start;
        for (; i < end && row[i] != '\t'; i++) {
            byte b = row[i];
            if (b != '\\') {
                append(length++, b);
                continue;
            }
            byte next = row[++i];
            switch (next) {
                case 'N' -> isNull = true;
                case 'b' -> append(length++, (byte) '\b');
                case 'f' -> append(length++, (byte) '\f');
                case 'n' -> append(length++, (byte) '\n');
                case 'r' -> append(length++, (byte) '\r');
                case 't' -> append(length++, (byte) '\t');
                case 'v' -> append(length++, (byte) 0x0B);
                case 'x' -> {
                    int value = 0;
                    int digits = 0;
                    while (digits < 2 && i + 1 < end && Character.digit(row[i + 1], 16) >= 0) {
                        value = value * 16 + Character.digit(row[++i], 16);
                        digits++;
                    }
                    append(length++, (byte) value);
                }
                default -> {
                    if (next >= '0' && next <= '7') {
                        int value = next - '0';
                        int digits = 1;
                        while (digits < 3 && i + 1 < end && row[i + 1] >= '0' && row[i + 1] <= '7') {
                            value = value * 8 + (row[++i] - '0');
                            digits++;
                        }
                        append(length++, (byte) value);
                    } else {
                        append(length++, next);
                    }
                }
            }
        }
        values[column] = isNull ? null : new String(field, 0, length, StandardCharsets.UTF_8);
        return i;
    }

    private void append(int position, byte b) {
        if (position == field.length) {
            field = Arrays.copyOf(field, field.length * 2);
        }
        field[position] = b;
    }
}
