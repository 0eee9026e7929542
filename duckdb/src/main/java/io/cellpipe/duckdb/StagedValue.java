package io.cellpipe.duckdb;

import io.cellpipe.core.model.ColumnKind;

/**
 * Rewrites the few PostgreSQL text forms DuckDB's casts do not read, before they are staged; all
 * other text is staged as it came. The reverse direction for reading back is {@link #fromDuckDb}.
 */
final class StagedValue {
    private static final String POSTGRES_ERA = " BC";
    private static final String DUCKDB_ERA = " (BC)";

    private StagedValue() {
    }

    static String of(ColumnKind kind, String postgresText) {
        if (postgresText == null) {
            return null;
        }
        return switch (kind) {
            case INTERVAL -> IsoInterval.parse(postgresText).toDuckDbText();
            case DATE, TIMESTAMP, TIMESTAMPTZ -> beforeCommonEra(postgresText);
            default -> postgresText;
        };
    }

    /** The canonical (PostgreSQL) spelling of DuckDB's text for {@code kind}. */
    static String fromDuckDb(ColumnKind kind, String duckDbText) {
        if (duckDbText == null) {
            return null;
        }
        return switch (kind) {
            case DATE, TIMESTAMP, TIMESTAMPTZ -> {
                // DuckDB prints "0044-03-15 (BC) 10:00:00"; PostgreSQL "0044-03-15 10:00:00 BC"
                int era = duckDbText.indexOf(DUCKDB_ERA);
                yield era < 0 ? duckDbText
                        : duckDbText.substring(0, era) + duckDbText.substring(era + DUCKDB_ERA.length()) + POSTGRES_ERA;
            }
            default -> duckDbText;
        };
    }

    /**
     * PostgreSQL ends a date before year 1 with " BC"; DuckDB ignores that suffix (silently reading
     * the year as AD) but reads " (BC)" right after the date part.
     */
    private static String beforeCommonEra(String text) {
        if (!text.endsWith(POSTGRES_ERA)) {
            return text;
        }
        String value = text.substring(0, text.length() - POSTGRES_ERA.length());
        int dateEnd = value.indexOf(' ');
        return dateEnd < 0 ? value + DUCKDB_ERA : value.substring(0, dateEnd) + DUCKDB_ERA + value.substring(dateEnd);
    }
}
