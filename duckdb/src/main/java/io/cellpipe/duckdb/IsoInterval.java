package io.cellpipe.duckdb;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An interval as PostgreSQL prints it with {@code IntervalStyle=iso_8601}, e.g.
 * {@code P1Y2M3DT4H5M6.5S} or {@code P-1Y-2M3DT-4H-5M-6.5S} (each part signed on its own).
 * DuckDB does not parse ISO 8601 durations, so they are rewritten into its own spelling. The three
 * fields are PostgreSQL's, and DuckDB keeps them apart the same way (a month is not 30 days).
 */
record IsoInterval(int months, int days, long micros) {
    private static final long MICROS_PER_MINUTE = 60_000_000L;
    private static final long MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;

    static IsoInterval parse(String text) {
        if (text.length() < 3 || text.charAt(0) != 'P') {
            throw notAnInterval(text);
        }
        long months = 0;
        long days = 0;
        long micros = 0;
        boolean timePart = false;
        int position = 1;
        try {
            while (position < text.length()) {
                if (text.charAt(position) == 'T') {
                    timePart = true;
                    position++;
                    continue;
                }
                int end = position;
                while (end < text.length() && "+-0123456789.".indexOf(text.charAt(end)) >= 0) {
                    end++;
                }
                if (end == position || end == text.length()) {
                    throw notAnInterval(text);
                }
                String number = text.substring(position, end);
                String field = (timePart ? "T" : "") + text.charAt(end);
                switch (field) {
                    case "Y" -> months += Math.multiplyExact(Long.parseLong(number), 12);
                    case "M" -> months += Long.parseLong(number);
                    case "W" -> days += Math.multiplyExact(Long.parseLong(number), 7);
                    case "D" -> days += Long.parseLong(number);
                    case "TH" -> micros += Math.multiplyExact(Long.parseLong(number), MICROS_PER_HOUR);
                    case "TM" -> micros += Math.multiplyExact(Long.parseLong(number), MICROS_PER_MINUTE);
                    case "TS" -> micros += new BigDecimal(number).movePointRight(6).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
                    default -> throw notAnInterval(text);
                }
                position = end + 1;
            }
            return new IsoInterval(Math.toIntExact(months), Math.toIntExact(days), micros);
        } catch (NumberFormatException | ArithmeticException e) {
            throw notAnInterval(text);
        }
    }

    /** DuckDB's input spelling, which keeps each field's own sign. */
    String toDuckDbText() {
        return months + " months " + days + " days " + micros + " microseconds";
    }

    /** Without the text: it is a value, and values may be red data. */
    private static IllegalArgumentException notAnInterval(String text) {
        return new IllegalArgumentException("an interval of " + text.length() + " characters is not ISO 8601 text as PostgreSQL prints"
                + " it with IntervalStyle=iso_8601 (e.g. P1Y2M3DT4H5M6S)");
    }
}
