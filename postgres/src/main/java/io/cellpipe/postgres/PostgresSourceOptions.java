package io.cellpipe.postgres;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.config.CaptureConfig;
import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.config.SlotConfig;
import io.cellpipe.core.config.TableSelection;
import io.cellpipe.core.privacy.ColumnPolicies;

/**
 * Everything one cell's capture needs to know. {@code name} names the slot and the publication;
 * {@code policies} are applied to every row before a change is created; {@code slot} says what a lost slot does.
 */
public record PostgresSourceOptions(CellConfig cell, String name, TableSelection tables, CaptureConfig capture, ColumnPolicies policies,
        SlotConfig slot) {
    public PostgresSourceOptions {
        requireNonNull(cell, "cell is null");
        requireNonNull(name, "name is null");
        requireNonNull(tables, "tables is null");
        requireNonNull(capture, "capture is null");
        requireNonNull(policies, "policies is null");
        requireNonNull(slot, "slot is null");
    }

    /** With the default slot policy (a lost slot fails the cell). */
    public PostgresSourceOptions(CellConfig cell, String name, TableSelection tables, CaptureConfig capture, ColumnPolicies policies) {
        this(cell, name, tables, capture, policies, SlotConfig.defaults());
    }

    /** Without column policies: every column is captured as is. */
    public PostgresSourceOptions(CellConfig cell, String name, TableSelection tables, CaptureConfig capture) {
        this(cell, name, tables, capture, ColumnPolicies.none());
    }
}
