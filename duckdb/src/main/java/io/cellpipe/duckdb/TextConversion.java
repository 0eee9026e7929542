package io.cellpipe.duckdb;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one PostgreSQL text value (as a cell connection prints it: DateStyle ISO, TimeZone UTC,
 * {@code extra_float_digits} 3) into a {@link RowSlots} slot, as the value the DuckDB appender
 * stores for one warehouse column type, giving the same value DuckDB's own cast of the text would (see {@link
 * DuckDbTypes#castFromText}). Only the common forms are read here; anything else (e.g. {@code
 * infinity}, a date before year 1 or after 9999, {@code NaN} in a decimal) is not read, and
 * the caller leaves the rows to the staged path, where DuckDB casts the text.
 */
enum TextConversion {
    TEXT {
        @Override
        boolean read(String text, RowSlots row, int position) {
            row.text(position, text);
            return true;
        }
    },
    BOOLEAN {
        @Override
        boolean read(String text, RowSlots row, int position) {
            switch (text) {
                case "t" -> row.bool(position, true);
                case "f" -> row.bool(position, false);
                default -> {
                    return false;
                }
            }
            return true;
        }
    },
    SMALLINT {
        @Override
        boolean read(String text, RowSlots row, int position) {
            long value = integer(text);
            if (value == NOT_AN_INTEGER || value != (short) value) {
                return false;
            }
            row.smallint(position, (short) value);
            return true;
        }
    },
    INTEGER {
        @Override
        boolean read(String text, RowSlots row, int position) {
            long value = integer(text);
            if (value == NOT_AN_INTEGER || value != (int) value) {
                return false;
            }
            row.integer(position, (int) value);
            return true;
        }
    },
    BIGINT {
        @Override
        boolean read(String text, RowSlots row, int position) {
            long value = integer(text);
            if (value == NOT_AN_INTEGER && !text.equals(LONG_MIN_TEXT)) {
                return false;
            }
            row.bigint(position, value);
            return true;
        }
    },
    DOUBLE {
        @Override
        boolean read(String text, RowSlots row, int position) {
            // PostgreSQL prints NaN, Infinity and -Infinity as Java reads them; both round to nearest
            if (!finiteOrNamed(text)) {
                return false;
            }
            row.doublePrecision(position, Double.parseDouble(text));
            return true;
        }
    },
    FLOAT {
        @Override
        boolean read(String text, RowSlots row, int position) {
            if (!finiteOrNamed(text)) {
                return false;
            }
            row.real(position, Float.parseFloat(text));
            return true;
        }
    },
    UUID_VALUE {
        @Override
        boolean read(String text, RowSlots row, int position) {
            if (text.length() != 36) {
                return false;
            }
            try {
                row.uuid(position, UUID.fromString(text));
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    },
    DATE {
        @Override
        boolean read(String text, RowSlots row, int position) {
            long days = IsoTimestamp.epochDay(text, 0);
            if (text.length() != 10 || days == IsoTimestamp.UNREAD) {
                return false;
            }
            row.epochDays(position, (int) days);
            return true;
        }
    },
    TIMESTAMP {
        @Override
        boolean read(String text, RowSlots row, int position) {
            long micros = IsoTimestamp.epochMicros(text, false);
            if (micros == IsoTimestamp.UNREAD) {
                return false;
            }
            row.epochMicros(position, micros);
            return true;
        }
    },
    TIMESTAMPTZ {
        @Override
        boolean read(String text, RowSlots row, int position) {
            long micros = IsoTimestamp.epochMicros(text, true);
            if (micros == IsoTimestamp.UNREAD) {
                return false;
            }
            row.epochMicros(position, micros);
            return true;
        }
    };

    /** What {@link #integer} returns for text that is not an integer PostgreSQL prints or does not fit a long. */
    private static final long NOT_AN_INTEGER = Long.MIN_VALUE;
    private static final String LONG_MIN_TEXT = Long.toString(Long.MIN_VALUE);
    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L,
        1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
        1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L};

    private static final Pattern DECIMAL_TYPE = Pattern.compile("DECIMAL\\((\\d+),(\\d+)\\)");

    /**
     * Reads {@code text} into {@code row} at {@code position}; false, leaving the slot as it was,
     * for text this leaves to DuckDB's cast.
     */
    abstract boolean read(String text, RowSlots row, int position);

    /** The conversion for a warehouse column type; empty when values of that type are always left to DuckDB's cast. */
    static Optional<Conversion> forType(String sqlType) {
        Matcher decimal = DECIMAL_TYPE.matcher(sqlType);
        if (decimal.matches()) {
            return Optional.of(new Decimal(Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2))));
        }
        TextConversion conversion = switch (sqlType) {
            case DuckDbTypes.VARCHAR, "JSON" -> TEXT;
            case "BOOLEAN" -> BOOLEAN;
            case "SMALLINT" -> SMALLINT;
            case "INTEGER" -> INTEGER;
            case "BIGINT" -> BIGINT;
            case "DOUBLE" -> DOUBLE;
            case "FLOAT" -> FLOAT;
            case "UUID" -> UUID_VALUE;
            case "DATE" -> DATE;
            case "TIMESTAMP" -> TIMESTAMP;
            case "TIMESTAMP WITH TIME ZONE" -> TIMESTAMPTZ;
            default -> null;
        };
        return Optional.ofNullable(conversion).map(Simple::new);
    }

    /**
     * Optional minus and digits (Java would also read a leading plus, PostgreSQL never prints one);
     * {@link #NOT_AN_INTEGER} otherwise or out of range (which {@link Long#MIN_VALUE} itself also
     * reads as; BIGINT tells the two apart).
     */
    private static long integer(String text) {
        if (text.isEmpty() || text.charAt(0) == '+') {
            return NOT_AN_INTEGER;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return NOT_AN_INTEGER;
        }
    }

    /** Plain decimal or exponent notation, or the three names; rejects what Java reads but PostgreSQL never prints (hex, suffixes). */
    private static boolean finiteOrNamed(String text) {
        if (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity")) {
            return true;
        }
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return true;
    }

    /** A conversion for one column type. */
    sealed interface Conversion permits Simple, Decimal {
        /** As {@link TextConversion#read}. */
        boolean read(String text, RowSlots row, int position);
    }

    record Simple(TextConversion conversion) implements Conversion {
        @Override
        public boolean read(String text, RowSlots row, int position) {
            return conversion.read(text, row, position);
        }
    }

    /**
     * DECIMAL(p,s): read exactly, never rounded; a value that needs rounding or does not fit is left
     * to DuckDB. Plain text of up to 18 digits is read straight into the unscaled value DuckDB stores.
     */
    record Decimal(int precision, int scale) implements Conversion {
        @Override
        public boolean read(String text, RowSlots row, int position) {
            if (precision <= 18) {
                long unscaled = unscaled(text);
                if (unscaled != NOT_AN_INTEGER) {
                    if (Math.abs(unscaled) >= POWERS_OF_TEN[precision]) {
                        return false;
                    }
                    row.unscaledDecimal(position, precision, unscaled);
                    return true;
                }
            }
            if (!finiteOrNamed(text) || text.indexOf('N') >= 0 || text.indexOf('I') >= 0) {
                return false;
            }
            try {
                BigDecimal value = new BigDecimal(text).setScale(scale, RoundingMode.UNNECESSARY);
                if (value.precision() > precision) {
                    return false;
                }
                row.decimal(position, value);
                return true;
            } catch (ArithmeticException | NumberFormatException e) {
                return false;
            }
        }

        /**
         * {@code [-]digits[.digits]} with at most {@code scale} fraction digits, as the value
         * scaled by 10^scale; {@link #NOT_AN_INTEGER} for any other form or more than 18 digits,
         * which the general path reads.
         */
        private long unscaled(String text) {
            int length = text.length();
            int i = length > 0 && text.charAt(0) == '-' ? 1 : 0;
            long value = 0;
            int digits = 0;
            int fraction = -1;
            for (; i < length; i++) {
                char c = text.charAt(i);
                if (c >= '0' && c <= '9') {
                    if (++digits > 18) {
                        return NOT_AN_INTEGER;
                    }
                    value = value * 10 + (c - '0');
                    if (fraction >= 0) {
                        fraction++;
                    }
                } else if (c == '.' && fraction < 0) {
                    fraction = 0;
                } else {
                    return NOT_AN_INTEGER;
                }
            }
            int fractionDigits = Math.max(fraction, 0);
            if (digits == 0 || fraction == 0 || fractionDigits > scale || digits - fractionDigits + scale > 18) {
                return NOT_AN_INTEGER;
            }
            value *= POWERS_OF_TEN[scale - fractionDigits];
            return text.charAt(0) == '-' ? -value : value;
        }
    }
}
