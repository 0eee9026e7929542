package io.cellpipe.duckdb;

/**
 * Counts the rows of CSV as it is written, in whatever pieces: line feeds outside quotes. A
 * doubled quote inside a quoted field toggles twice and leaves the state as it was. The count is
 * checked against the rows DuckDB's CSV load inserted, so a row it read differently is never lost.
 */
final class CsvRowCounter {
    private boolean quoted;
    private long rows;

    void add(byte[] bytes, int offset, int length) {
        // in locals: this runs over every byte of a snapshot
        boolean inQuotes = quoted;
        long lines = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            byte b = bytes[i];
            if (b == '"') {
                inQuotes = !inQuotes;
            } else if (b == '\n' && !inQuotes) {
                lines++;
            }
        }
        quoted = inQuotes;
        rows += lines;
    }

    void add(int b) {
        if (b == '"') {
            quoted = !quoted;
        } else if (b == '\n' && !quoted) {
            rows++;
        }
    }

    long rows() {
        return rows;
    }
}
