package io.cellpipe.postgres;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.config.CaptureConfig;
import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.config.TableSelection;

/** Everything one cell's capture needs to know. {@code name} names the slot and the publication. */
public record PostgresSourceOptions(CellConfig cell, String name, TableSelection tables, CaptureConfig capture) {
    public PostgresSourceOptions {
        requireNonNull(cell, "cell is null");
        requireNonNull(name, "name is null");
        requireNonNull(tables, "tables is null");
        requireNonNull(capture, "capture is null");
    }
}
