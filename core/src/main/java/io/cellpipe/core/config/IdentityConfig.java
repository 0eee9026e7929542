package io.cellpipe.core.config;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.TableId;
import java.time.Duration;
import java.util.List;

/**
 * Checks of identity across cells: tables whose ids must be unique over all cells, the share of a
 * cell's sequence range at which a saturation alert is raised, and how often the cross-cell checks
 * (ranges, saturation, collisions, clusterwide tables) run.
 */
public record IdentityConfig(List<TableId> globallyUnique, double saturationThreshold, Duration checkInterval) {
    public IdentityConfig {
        globallyUnique = List.copyOf(globallyUnique);
        requireNonNull(checkInterval, "checkInterval is null");
        if (!(saturationThreshold > 0 && saturationThreshold <= 1)) {
            throw new IllegalArgumentException("identity.saturation_alert must be above 0 and at most 1 (e.g. 0.9), not " + saturationThreshold);
        }
        if (checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("identity.check_interval must be positive");
        }
    }

    public static IdentityConfig defaults() {
        return new IdentityConfig(List.of(), 0.9, Duration.ofSeconds(30));
    }
}
