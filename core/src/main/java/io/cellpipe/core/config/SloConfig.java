package io.cellpipe.core.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** Service level objectives the pipeline alerts on. {@code freshness}: how far the warehouse may be behind a cell. */
public record SloConfig(Duration freshness) {
    public static final Duration DEFAULT_FRESHNESS = Duration.ofMinutes(5);

    public SloConfig {
        requireNonNull(freshness, "freshness is null");
        if (freshness.isNegative() || freshness.isZero()) {
            throw new IllegalArgumentException("slo.freshness must be positive, e.g. 5m");
        }
    }

    public static SloConfig defaults() {
        return new SloConfig(DEFAULT_FRESHNESS);
    }
}
