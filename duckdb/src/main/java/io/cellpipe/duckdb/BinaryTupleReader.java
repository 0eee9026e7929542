package io.cellpipe.duckdb;

import io.cellpipe.core.model.ColumnType;
import io.cellpipe.core.spi.BinaryForm;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads the tuples of PostgreSQL's binary {@code COPY} ({@link BinaryForm}) into a {@link
 * RowSlots}, each value as the DuckDB appender stores it for its warehouse column: numbers,
 * dates, timestamps and UUIDs from their binary form, without formatting or parsing text, and text
 * as its bytes. A value is read only where it gives what DuckDB's cast of the value's text would
 * (see {@link DuckDbTypes#castFromText}); anything else (an infinity, a date before year 1 or after
 * 9999, {@code NaN} in a decimal, text that is not UTF-8 or holds a NUL) is not read, and the caller loads the
 * rows another way.
 */
final class BinaryTupleReader {
    /** Days from 1970-01-01, DuckDB's epoch, to 2000-01-01, PostgreSQL's. */
    private static final int EPOCH_DAYS = 10_957;
    private static final long EPOCH_MICROS = EPOCH_DAYS * 86_400_000_000L;
    /** The dates and timestamps read, as the ISO text DuckDB's cast reads: years 1 to 9999. */
    private static final long FIRST_DAY = LocalDate.of(1, 1, 1).toEpochDay();
    private static final long LAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();
    private static final long FIRST_MICRO = LocalDateTime.of(1, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
    private static final long END_MICRO = LocalDateTime.of(10_000, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L,
        1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
        1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L};
    private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10_000);

    private final BinaryForm[] forms;
    /** A {@code numeric} column's precision and scale; null for the other forms. */
    private final Numeric[] decimals;
    /** How a text column's value becomes one of a type other than VARCHAR or JSON; null for the others. */
    private final TextConversion.Conversion[] conversions;
    private final int[] positions;
    /** The column whose value the last {@link #read} refused, or -1. */
    private int refused = -1;

    private BinaryTupleReader(BinaryForm[] forms, Numeric[] decimals, TextConversion.Conversion[] conversions, int[] positions) {
        this.forms = forms;
        this.decimals = decimals;
        this.conversions = conversions;
        this.positions = positions;
    }

    /**
     * The reader for {@code binding}'s shape; empty when a column's warehouse type is not the one
     * its source type maps to (e.g. widened by a type change) or is read only from text DuckDB casts
     * (e.g. {@code INTERVAL}).
     */
    static Optional<BinaryTupleReader> of(TableBinding binding) {
        WarehouseTable table = binding.table();
        BinaryForm[] forms = new BinaryForm[binding.size()];
        Numeric[] decimals = new Numeric[binding.size()];
        TextConversion.Conversion[] conversions = new TextConversion.Conversion[binding.size()];
        int[] positions = new int[binding.size()];
        for (int index = 0; index < binding.size(); index++) {
            ColumnType type = binding.schema().columns().get(index).type();
            positions[index] = binding.position(index);
            String sqlType = table.column(positions[index]).sqlType();
            BinaryForm form = BinaryForm.of(type);
            forms[index] = form;
            if (form == BinaryForm.TEXT || form == BinaryForm.JSONB) {
                if (!sqlType.equals(DuckDbTypes.VARCHAR) && !sqlType.equals("JSON")) {
                    Optional<TextConversion.Conversion> conversion = TextConversion.forType(sqlType);
                    if (conversion.isEmpty()) {
                        return Optional.empty();
                    }
                    conversions[index] = conversion.get();
                }
            } else if (!DuckDbTypes.sqlType(type).equals(sqlType)) {
                return Optional.empty();
            } else if (form == BinaryForm.NUMERIC) {
                decimals[index] = new Numeric(type.precision(), type.scale());
            }
        }
        return Optional.of(new BinaryTupleReader(forms, decimals, conversions, positions));
    }

    /**
     * Fills {@code row} from the tuple at {@code offset}; false, with {@code row} partly filled, for
     * a value not read here.
     *
     * @throws IllegalArgumentException for a tuple that is not one of this shape
     */
    boolean read(byte[] tuple, int offset, int length, RowSlots row) {
        row.clear();
        refused = -1;
        int end = offset + length;
        if (length < 2 || shortAt(tuple, offset) != forms.length) {
            throw new IllegalArgumentException("a binary COPY tuple of " + (length < 2 ? "no" : shortAt(tuple, offset)) + " fields, expected "
                    + forms.length);
        }
        int at = offset + 2;
        for (int index = 0; index < forms.length; index++) {
            if (at + 4 > end) {
                throw new IllegalArgumentException("a binary COPY tuple ends before field " + (index + 1) + " of " + forms.length);
            }
            int size = intAt(tuple, at);
            at += 4;
            if (size == -1) {
                continue;
            }
            if (size < 0 || at + size > end) {
                throw new IllegalArgumentException("a binary COPY field of " + size + " bytes where " + (end - at) + " remain");
            }
            if (!read(index, tuple, at, size, row)) {
                refused = index;
                return false;
            }
            at += size;
        }
        if (at != end) {
            throw new IllegalArgumentException("a binary COPY tuple has " + (end - at) + " bytes after its last field");
        }
        return true;
    }

    /** The index in the shape of the column whose value the last {@link #read} refused, or -1 if it refused none. */
    int refusedColumn() {
        return refused;
    }

    /** One field, by a switch on its form rather than a call of one of many classes, as it runs for every value of a snapshot. */
    private boolean read(int index, byte[] bytes, int offset, int length, RowSlots row) {
        int position = positions[index];
        switch (forms[index]) {
            case BOOLEAN -> {
                if (length != 1) {
                    return false;
                }
                row.bool(position, bytes[offset] != 0);
            }
            case INT16 -> {
                if (length != 2) {
                    return false;
                }
                row.smallint(position, (short) shortAt(bytes, offset));
            }
            case INT32 -> {
                if (length != 4) {
                    return false;
                }
                row.integer(position, intAt(bytes, offset));
            }
            case INT64 -> {
                if (length != 8) {
                    return false;
                }
                row.bigint(position, longAt(bytes, offset));
            }
            case FLOAT32 -> {
                if (length != 4) {
                    return false;
                }
                // every NaN is stored as the one DuckDB's cast of 'NaN' gives
                float value = Float.intBitsToFloat(intAt(bytes, offset));
                row.real(position, Float.isNaN(value) ? Float.NaN : value);
            }
            case FLOAT64 -> {
                if (length != 8) {
                    return false;
                }
                double value = Double.longBitsToDouble(longAt(bytes, offset));
                row.doublePrecision(position, Double.isNaN(value) ? Double.NaN : value);
            }
            case UUID -> {
                if (length != 16) {
                    return false;
                }
                row.uuid(position, new java.util.UUID(longAt(bytes, offset), longAt(bytes, offset + 8)));
            }
            case DATE -> {
                if (length != 4) {
                    return false;
                }
                // the infinities (the int's extremes) are out of range too
                long days = (long) intAt(bytes, offset) + EPOCH_DAYS;
                if (days < FIRST_DAY || days > LAST_DAY) {
                    return false;
                }
                row.epochDays(position, (int) days);
            }
            case TIMESTAMP -> {
                if (length != 8) {
                    return false;
                }
                long micros = longAt(bytes, offset);
                if (micros < FIRST_MICRO - EPOCH_MICROS || micros >= END_MICRO - EPOCH_MICROS) {
                    return false;
                }
                row.epochMicros(position, micros + EPOCH_MICROS);
            }
            case BYTES -> row.bytes(position, Arrays.copyOfRange(bytes, offset, offset + length));
            case TEXT, JSONB -> {
                int skip = forms[index] == BinaryForm.JSONB ? 1 : 0;
                if (length < skip || skip == 1 && bytes[offset] != 1 || !isText(bytes, offset + skip, length - skip)) {
                    return false;
                }
                if (conversions[index] != null) {
                    return conversions[index].read(new String(bytes, offset + skip, length - skip, StandardCharsets.UTF_8), row, position);
                }
                row.bytes(position, Arrays.copyOfRange(bytes, offset + skip, offset + length));
            }
            case NUMERIC -> {
                return decimals[index].read(bytes, offset, length, row, position);
            }
        }
        return true;
    }

    /**
     * {@code numeric} into DECIMAL(p,s): exactly, never rounded; {@code NaN}, the infinities, more
     * fraction digits than s or more digits than p are not read.
     */
    private record Numeric(int precision, int scale) {
        private static final int POSITIVE = 0x0000;
        private static final int NEGATIVE = 0x4000;

        boolean read(byte[] bytes, int offset, int length, RowSlots row, int position) {
            if (length < 8) {
                return false;
            }
            int digits = shortAt(bytes, offset);
            int weight = (short) shortAt(bytes, offset + 2);
            int sign = shortAt(bytes, offset + 4);
            if (sign != POSITIVE && sign != NEGATIVE || length != 8 + 2 * digits) {
                return false;
            }
            return precision <= 18 ? readLong(bytes, offset + 8, digits, weight, sign == NEGATIVE, row, position)
                    : readBig(bytes, offset + 8, digits, weight, sign == NEGATIVE, row, position);
        }

        /** Digit i is worth 10000^(weight - i); scaled by 10^scale, that is 10^(4 (weight - i) + scale). */
        private boolean readLong(byte[] bytes, int at, int digits, int weight, boolean negative, RowSlots row, int position) {
            long unscaled = 0;
            for (int i = 0; i < digits; i++) {
                int digit = shortAt(bytes, at + 2 * i);
                int exponent = 4 * (weight - i) + scale;
                if (digit > 9_999) {
                    return false;
                }
                if (digit == 0) {
                    continue;
                }
                if (exponent >= POWERS_OF_TEN.length || exponent <= -4) {
                    return false;
                }
                if (exponent < 0) {
                    long divisor = POWERS_OF_TEN[-exponent];
                    if (digit % divisor != 0) {
                        return false;
                    }
                    unscaled += digit / divisor;
                } else {
                    try {
                        unscaled = Math.addExact(unscaled, Math.multiplyExact(digit, POWERS_OF_TEN[exponent]));
                    } catch (ArithmeticException e) {
                        return false;
                    }
                }
            }
            if (unscaled >= POWERS_OF_TEN[precision]) {
                return false;
            }
            row.unscaledDecimal(position, precision, negative ? -unscaled : unscaled);
            return true;
        }

        private boolean readBig(byte[] bytes, int at, int digits, int weight, boolean negative, RowSlots row, int position) {
            BigInteger whole = BigInteger.ZERO;
            for (int i = 0; i < digits; i++) {
                int digit = shortAt(bytes, at + 2 * i);
                if (digit > 9_999) {
                    return false;
                }
                whole = whole.multiply(TEN_THOUSAND).add(BigInteger.valueOf(digit));
            }
            // the last digit is worth 10000^(weight - digits + 1)
            BigDecimal value = new BigDecimal(negative ? whole.negate() : whole, -4 * (weight - digits + 1));
            try {
                value = value.setScale(scale, RoundingMode.UNNECESSARY);
            } catch (ArithmeticException e) {
                return false;
            }
            if (value.precision() > precision) {
                return false;
            }
            row.decimal(position, value);
            return true;
        }
    }

    /**
     * Text as PostgreSQL's text types hold it: well-formed UTF-8 (no stray continuation byte,
     * overlong form, surrogate or code point above U+10FFFF) without a NUL, which only the internal
     * {@code "char"} type sends, for its empty value, where its text is empty.
     */
    static boolean isText(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b = bytes[i];
            if (b > 0) {
                i++;
                continue;
            }
            if (b == 0) {
                return false;
            }
            b &= 0xFF;
            int size = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
            if (b < 0xC2 || b > 0xF4 || i + size > end) {
                return false;
            }
            int second = bytes[i + 1] & 0xFF;
            if (b == 0xE0 && second < 0xA0 || b == 0xED && second > 0x9F || b == 0xF0 && second < 0x90 || b == 0xF4 && second > 0x8F) {
                return false;
            }
            for (int k = 1; k < size; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += size;
        }
        return true;
    }

    private static int shortAt(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
    }

    private static int intAt(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8 | bytes[at + 3] & 0xFF;
    }

    private static long longAt(byte[] bytes, int at) {
        return (long) intAt(bytes, at) << 32 | intAt(bytes, at + 4) & 0xFFFFFFFFL;
    }
}
