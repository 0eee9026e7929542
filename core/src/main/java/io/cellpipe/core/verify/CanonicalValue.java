package io.cellpipe.core.verify;

import io.cellpipe.core.model.ColumnKind;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one text form a value is compared in, whichever database it was read from. Each
 * {@link RowSource} delivers values close to PostgreSQL's own text output (UTC time zone,
 * {@code months/days/microseconds} for intervals, lower-case hex without {@code \x} for bytes);
 * {@link #normalize} removes the remaining differences of spelling (trailing zeros, {@code nan} vs
 * {@code NaN}, {@code +00:00} vs {@code +00}).
 */
public final class CanonicalValue {
    private static final Pattern TRAILING_FRACTION_ZEROS = Pattern.compile("(\\.\\d*?)0+(?=$|[+-]|\\s)");
    private static final Pattern EMPTY_FRACTION = Pattern.compile("\\.(?=$|[+-]|\\s)");

    private CanonicalValue() {
    }

    public static String normalize(ColumnKind kind, String text) {
        if (text == null) {
            return null;
        }
        return switch (kind) {
            case BOOLEAN -> normalizeBoolean(text);
            case FLOAT32 -> String.valueOf(Float.parseFloat(floatSpelling(text)));
            case FLOAT64 -> String.valueOf(Double.parseDouble(floatSpelling(text)));
            case DECIMAL, NUMERIC_TEXT -> normalizeNumeric(text);
            case TIMESTAMP, TIMESTAMPTZ, TIME, TIMETZ -> normalizeTime(text);
            case BYTES -> text.startsWith("\\x") ? text.substring(2).toLowerCase(Locale.ROOT) : text.toLowerCase(Locale.ROOT);
            case UUID -> text.toLowerCase(Locale.ROOT);
            default -> text;
        };
    }

    private static String normalizeBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "t", "true" -> "true";
            case "f", "false" -> "false";
            default -> text;
        };
    }

    private static String floatSpelling(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "nan", "-nan" -> "NaN";
            case "inf", "infinity", "+inf", "+infinity" -> "Infinity";
            case "-inf", "-infinity" -> "-Infinity";
            default -> text;
        };
    }

    private static String normalizeNumeric(String text) {
        String spelled = floatSpelling(text);
        if (spelled.equals("NaN") || spelled.endsWith("Infinity")) {
            return spelled;
        }
        try {
            BigDecimal value = new BigDecimal(text);
            return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return text;
        }
    }

    private static String normalizeTime(String text) {
        String value = text.replace('T', ' ');
        if (value.endsWith("+00:00")) {
            value = value.substring(0, value.length() - 3);
        } else if (value.endsWith("Z")) {
            value = value.substring(0, value.length() - 1) + "+00";
        }
        value = TRAILING_FRACTION_ZEROS.matcher(value).replaceAll("$1");
        return EMPTY_FRACTION.matcher(value).replaceAll("");
    }
}
