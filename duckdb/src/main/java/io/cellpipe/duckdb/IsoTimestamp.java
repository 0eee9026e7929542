package io.cellpipe.duckdb;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Reads PostgreSQL's ISO text of dates and timestamps in UTC ({@code 2024-01-01},
 * {@code 2024-01-01 10:00:00.123456}, with {@code +00} for timestamptz) as epoch days or
 * microseconds. Years 1 to 9999 only; any other form gives {@link #UNREAD}.
 */
final class IsoTimestamp {
    static final long UNREAD = Long.MIN_VALUE;

    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private IsoTimestamp() {
    }

    /** The date at {@code offset} (ten characters, {@code YYYY-MM-DD}) as days since 1970-01-01. */
    static long epochDay(String text, int offset) {
        if (text.length() < offset + 10 || text.charAt(offset + 4) != '-' || text.charAt(offset + 7) != '-') {
            return UNREAD;
        }
        int year = digits(text, offset, 4);
        int month = digits(text, offset + 5, 2);
        int day = digits(text, offset + 8, 2);
        if (year < 1 || month < 0 || day < 0) {
            return UNREAD;
        }
        try {
            return LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return UNREAD;
        }
    }

    /** {@code YYYY-MM-DD HH:MM:SS[.f{1,6}]}, then {@code +00} exactly when {@code utcOffset}. */
    static long epochMicros(String text, boolean utcOffset) {
        int end = text.length();
        if (utcOffset) {
            if (!text.endsWith("+00")) {
                return UNREAD;
            }
            end -= 3;
        }
        if (end < 19 || text.charAt(10) != ' ' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return UNREAD;
        }
        long day = epochDay(text, 0);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (day == UNREAD || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return UNREAD;
        }
        long fraction = 0;
        if (end > 19) {
            int fractionDigits = end - 20;
            if (text.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 6) {
                return UNREAD;
            }
            int value = digits(text, 20, fractionDigits);
            if (value < 0) {
                return UNREAD;
            }
            fraction = value;
            for (int i = fractionDigits; i < 6; i++) {
                fraction *= 10;
            }
        }
        return day * MICROS_PER_DAY + ((hour * 60L + minute) * 60L + second) * 1_000_000L + fraction;
    }

    /** The non-negative number of {@code count} ASCII digits at {@code offset}, or -1. */
    private static int digits(String text, int offset, int count) {
        int value = 0;
        for (int i = offset; i < offset + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
