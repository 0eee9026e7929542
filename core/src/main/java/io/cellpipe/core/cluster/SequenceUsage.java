package io.cellpipe.core.cluster;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.TableId;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A sequence of one cell: where it stands ({@code lastValue}, empty before its first use) and the
 * table column it feeds, when it is owned by one (serial and identity columns are).
 */
public record SequenceUsage(String sequence, OptionalLong lastValue, Optional<TableId> table, Optional<String> column) {
    public SequenceUsage {
        requireNonNull(sequence, "sequence is null");
        requireNonNull(lastValue, "lastValue is null");
        requireNonNull(table, "table is null");
        requireNonNull(column, "column is null");
    }
}
