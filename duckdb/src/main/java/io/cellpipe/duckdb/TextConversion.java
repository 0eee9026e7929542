package io.cellpipe.duckdb;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBAppender;

/**
 * Reads one PostgreSQL text value (as a cell connection prints it: DateStyle ISO, TimeZone UTC,
 * {@code extra_float_digits} 3) into the Java value the DuckDB appender stores for one warehouse
 * column type, giving the same value DuckDB's own cast of the text would (see {@link
 * DuckDbTypes#castFromText}). Only the common forms are read here; anything else (e.g. {@code
 * infinity}, a date before year 1 or after 9999, {@code NaN} in a decimal) is {@link #UNREAD}, and
 * the caller leaves the rows to the staged path, where DuckDB casts the text.
 */
enum TextConversion {
    TEXT {
        @Override
        Object read(String text) {
            return text;
        }
    },
    BOOLEAN {
        @Override
        Object read(String text) {
            return switch (text) {
                case "t" -> Boolean.TRUE;
                case "f" -> Boolean.FALSE;
                default -> UNREAD;
            };
        }
    },
    SMALLINT {
        @Override
        Object read(String text) {
            Long value = integer(text);
            return value == null || value != value.shortValue() ? UNREAD : (Object) value.shortValue();
        }
    },
    INTEGER {
        @Override
        Object read(String text) {
            Long value = integer(text);
            return value == null || value != value.intValue() ? UNREAD : (Object) value.intValue();
        }
    },
    BIGINT {
        @Override
        Object read(String text) {
            Long value = integer(text);
            return value == null ? UNREAD : value;
        }
    },
    DOUBLE {
        @Override
        Object read(String text) {
            // PostgreSQL prints NaN, Infinity and -Infinity as Java reads them; both round to nearest
            return finiteOrNamed(text) ? (Object) Double.parseDouble(text) : UNREAD;
        }
    },
    FLOAT {
        @Override
        Object read(String text) {
            return finiteOrNamed(text) ? (Object) Float.parseFloat(text) : UNREAD;
        }
    },
    UUID_VALUE {
        @Override
        Object read(String text) {
            if (text.length() != 36) {
                return UNREAD;
            }
            try {
                return UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                return UNREAD;
            }
        }
    },
    DATE {
        @Override
        Object read(String text) {
            long days = IsoTimestamp.epochDay(text, 0);
            return text.length() != 10 || days == IsoTimestamp.UNREAD ? UNREAD : new EpochDays((int) days);
        }
    },
    TIMESTAMP {
        @Override
        Object read(String text) {
            long micros = IsoTimestamp.epochMicros(text, false);
            return micros == IsoTimestamp.UNREAD ? UNREAD : new EpochMicros(micros);
        }
    },
    TIMESTAMPTZ {
        @Override
        Object read(String text) {
            long micros = IsoTimestamp.epochMicros(text, true);
            return micros == IsoTimestamp.UNREAD ? UNREAD : new EpochMicros(micros);
        }
    };

    /** What {@link #read} returns for text it leaves to DuckDB. */
    static final Object UNREAD = new Object();

    private static final Pattern DECIMAL_TYPE = Pattern.compile("DECIMAL\\((\\d+),(\\d+)\\)");

    /** The value to append, or {@link #UNREAD}. */
    abstract Object read(String text);

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

    /** Appends a value {@link #read} returned. */
    static void append(DuckDBAppender appender, Object value) throws SQLException {
        switch (value) {
            case null -> appender.appendNull();
            case String text -> appender.append(text);
            case Long number -> appender.append(number.longValue());
            case Integer number -> appender.append(number.intValue());
            case Short number -> appender.append(number.shortValue());
            case Boolean flag -> appender.append(flag.booleanValue());
            case Double number -> appender.append(number.doubleValue());
            case Float number -> appender.append(number.floatValue());
            case BigDecimal number -> appender.append(number);
            case UUID uuid -> appender.append(uuid);
            case EpochDays days -> appender.appendEpochDays(days.days());
            case EpochMicros micros -> appender.appendEpochMicros(micros.micros());
            default -> throw new IllegalStateException("no way to append a " + value.getClass().getName() + "; this is a bug in cellpipe");
        }
    }

    /** Optional minus and digits (Java would also read a leading plus, PostgreSQL never prints one); null otherwise or out of range. */
    private static Long integer(String text) {
        if (text.isEmpty() || text.charAt(0) == '+') {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
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
        Object read(String text);
    }

    record Simple(TextConversion conversion) implements Conversion {
        @Override
        public Object read(String text) {
            return conversion.read(text);
        }
    }

    /** DECIMAL(p,s): read exactly, never rounded; a value that needs rounding or does not fit is left to DuckDB. */
    record Decimal(int precision, int scale) implements Conversion {
        @Override
        public Object read(String text) {
            if (!finiteOrNamed(text) || text.indexOf('N') >= 0 || text.indexOf('I') >= 0) {
                return UNREAD;
            }
            try {
                BigDecimal value = new BigDecimal(text).setScale(scale, RoundingMode.UNNECESSARY);
                return value.precision() > precision ? UNREAD : value;
            } catch (ArithmeticException | NumberFormatException e) {
                return UNREAD;
            }
        }
    }

    record EpochDays(int days) {
    }

    record EpochMicros(long micros) {
    }
}
