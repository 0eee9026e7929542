package io.cellpipe.duckdb;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.UUID;
import org.duckdb.DuckDBAppender;

/**
 * One row's values as {@link TextConversion} reads them, by warehouse position, kept unboxed:
 * numbers, days and microseconds in a {@code long} per slot, text and other objects in a reference
 * per slot. Reused from row to row by one thread; {@link #clear} makes every slot NULL again.
 */
final class RowSlots {
    private static final byte NULL = 0;
    private static final byte BOOLEAN = 1;
    private static final byte SHORT = 2;
    private static final byte INT = 3;
    private static final byte LONG = 4;
    private static final byte FLOAT = 5;
    private static final byte DOUBLE = 6;
    private static final byte DAYS = 7;
    private static final byte MICROS = 8;
    /** DECIMALs of precision up to 4, 9 and 18 as their unscaled value, stored by DuckDB in 2, 4 and 8 bytes. */
    private static final byte UNSCALED_SHORT = 9;
    private static final byte UNSCALED_INT = 13;
    private static final byte UNSCALED_LONG = 14;
    private static final byte TEXT = 10;
    private static final byte UUID_VALUE = 11;
    private static final byte BIG_DECIMAL = 12;
    /** Bytes a VARCHAR holds as they are (valid UTF-8), or a BLOB's. */
    private static final byte BYTES = 15;

    private final byte[] kinds;
    private final long[] words;
    private final Object[] refs;

    RowSlots(int width) {
        kinds = new byte[width];
        words = new long[width];
        refs = new Object[width];
    }

    int width() {
        return kinds.length;
    }

    void clear() {
        Arrays.fill(kinds, NULL);
        // references are left: a slot's kind says whether it is read, and the next row overwrites them
    }

    void bool(int position, boolean value) {
        set(position, BOOLEAN, value ? 1 : 0);
    }

    void smallint(int position, short value) {
        set(position, SHORT, value);
    }

    void integer(int position, int value) {
        set(position, INT, value);
    }

    void bigint(int position, long value) {
        set(position, LONG, value);
    }

    void real(int position, float value) {
        set(position, FLOAT, Float.floatToRawIntBits(value));
    }

    void doublePrecision(int position, double value) {
        set(position, DOUBLE, Double.doubleToRawLongBits(value));
    }

    void epochDays(int position, int days) {
        set(position, DAYS, days);
    }

    void epochMicros(int position, long micros) {
        set(position, MICROS, micros);
    }

    /** A DECIMAL of {@code precision} at most 18, as its unscaled value (which fits that precision). */
    void unscaledDecimal(int position, int precision, long unscaled) {
        set(position, precision <= 4 ? UNSCALED_SHORT : precision <= 9 ? UNSCALED_INT : UNSCALED_LONG, unscaled);
    }

    void text(int position, String value) {
        kinds[position] = TEXT;
        refs[position] = value;
    }

    /** Bytes stored as they are: a BLOB's, or a VARCHAR's text, which must be valid UTF-8. */
    void bytes(int position, byte[] value) {
        kinds[position] = BYTES;
        refs[position] = value;
    }

    void uuid(int position, UUID value) {
        kinds[position] = UUID_VALUE;
        refs[position] = value;
    }

    void decimal(int position, BigDecimal value) {
        kinds[position] = BIG_DECIMAL;
        refs[position] = value;
    }

    private void set(int position, byte kind, long word) {
        kinds[position] = kind;
        words[position] = word;
    }

    /** The slot's value boxed (a DECIMAL of precision up to 18 as its unscaled long), null for NULL: for tests, not the hot path. */
    Object value(int position) {
        long word = words[position];
        return switch (kinds[position]) {
            case NULL -> null;
            case BOOLEAN -> word != 0;
            case SHORT -> (short) word;
            case INT -> (int) word;
            case LONG, DAYS, MICROS -> word;
            case FLOAT -> Float.intBitsToFloat((int) word);
            case DOUBLE -> Double.longBitsToDouble(word);
            case UNSCALED_SHORT, UNSCALED_INT, UNSCALED_LONG -> word;
            default -> refs[position];
        };
    }

    /** Appends the value at {@code position} as the next column of the appender's row. */
    void appendTo(DuckDBAppender appender, int position) throws SQLException {
        long word = words[position];
        switch (kinds[position]) {
            case NULL -> appender.appendNull();
            case BOOLEAN -> appender.append(word != 0);
            case SHORT -> appender.append((short) word);
            case INT -> appender.append((int) word);
            case LONG -> appender.append(word);
            case FLOAT -> appender.append(Float.intBitsToFloat((int) word));
            case DOUBLE -> appender.append(Double.longBitsToDouble(word));
            case DAYS -> appender.appendEpochDays((int) word);
            case MICROS -> appender.appendEpochMicros(word);
            case UNSCALED_SHORT -> appender.appendDecimal((short) word);
            case UNSCALED_INT -> appender.appendDecimal((int) word);
            case UNSCALED_LONG -> appender.appendDecimal(word);
            case TEXT -> appender.append((String) refs[position]);
            case BYTES -> appender.append((byte[]) refs[position]);
            case UUID_VALUE -> appender.append((UUID) refs[position]);
            case BIG_DECIMAL -> appender.append((BigDecimal) refs[position]);
            default -> throw new IllegalStateException("slot " + position + " has kind " + kinds[position] + "; this is a bug in cellpipe");
        }
    }
}
