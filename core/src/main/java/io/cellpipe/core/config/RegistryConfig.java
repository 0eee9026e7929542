package io.cellpipe.core.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Cells listed in a registry file (Topology Service TOML) instead of inline: where the file is, how
 * a cell's JDBC URL is made from its entry ({@code {id}} and {@code {address}} are replaced), the
 * slot name template when cells share servers ({@code {id}} replaced), how often the file is checked
 * for edits, and whether a removed cell's replication slot is dropped.
 */
public record RegistryConfig(Path file, String dsn, Optional<String> slot, Duration watchInterval, boolean dropSlotOnRemove) {
    public RegistryConfig {
        requireNonNull(file, "file is null");
        requireNonNull(dsn, "dsn is null");
        requireNonNull(slot, "slot is null");
        requireNonNull(watchInterval, "watchInterval is null");
        if (!dsn.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("cells.dsn must start with jdbc:postgresql://, e.g."
                    + " jdbc:postgresql://{address}:5432/gitlabhq_production?user=cellpipe");
        }
        if (!dsn.contains("{address}") && !dsn.contains("{id}")) {
            throw new IllegalArgumentException("cells.dsn must contain {address} or {id}, or every cell would be the same database");
        }
        if (watchInterval.isNegative() || watchInterval.isZero()) {
            throw new IllegalArgumentException("cells.watch_interval must be positive");
        }
    }
}
