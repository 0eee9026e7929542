package io.cellpipe.core.verify;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One row as seen by verification: values of every column of the table schema, in the canonical
 * text of {@link CanonicalValue}; {@code deleted} is true for a row the warehouse keeps as deleted.
 */
public record VerifyRow(List<String> values, boolean deleted) {
    public VerifyRow {
        requireNonNull(values, "values is null");
    }
}
