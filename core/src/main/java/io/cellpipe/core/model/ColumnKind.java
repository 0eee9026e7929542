package io.cellpipe.core.model;

/**
 * What a column holds, independent of any database. Values travel as PostgreSQL's text form of
 * the value (see {@link RowImage}); a destination maps each kind to its own type and parses the text.
 */
public enum ColumnKind {
    BOOLEAN,
    INT16,
    INT32,
    INT64,
    FLOAT32,
    FLOAT64,
    /** numeric with a declared precision of at most 38 digits: exact decimal. */
    DECIMAL,
    /** numeric without a declared precision (or wider than 38): kept as exact text, NaN and infinities included. */
    NUMERIC_TEXT,
    TEXT,
    DATE,
    TIMESTAMP,
    TIMESTAMPTZ,
    TIME,
    TIMETZ,
    /** ISO 8601 text (the capture sets IntervalStyle=iso_8601). */
    INTERVAL,
    UUID,
    JSON,
    /** bytea, as PostgreSQL's hex text ({@code \x0a0b}). */
    BYTES;
}
