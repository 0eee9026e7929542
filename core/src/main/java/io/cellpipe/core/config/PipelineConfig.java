package io.cellpipe.core.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A whole pipeline: its name (which names the slot and publication), cells (with the registry they
 * were read from, when they come from one), tables, destination, column policies, where its
 * monitoring endpoints listen (none when absent), its objectives, alert delivery, log format,
 * the cross-cell checks, and what a lost slot does.
 */
public record PipelineConfig(String pipeline, List<CellConfig> cells, TableSelection tables, DestinationConfig destination,
        CaptureConfig capture, PrivacyConfig privacy, Optional<MonitoringConfig> monitoring, SloConfig slo, AlertsConfig alerts,
        LoggingConfig logging, Optional<RegistryConfig> registry, IdentityConfig identity, ClusterwideConfig clusterwide,
        SlotConfig slot) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    public PipelineConfig {
        requireNonNull(pipeline, "pipeline is null");
        cells = List.copyOf(cells);
        requireNonNull(tables, "tables is null");
        requireNonNull(destination, "destination is null");
        requireNonNull(capture, "capture is null");
        requireNonNull(privacy, "privacy is null");
        requireNonNull(monitoring, "monitoring is null");
        requireNonNull(slo, "slo is null");
        requireNonNull(alerts, "alerts is null");
        requireNonNull(logging, "logging is null");
        requireNonNull(registry, "registry is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(clusterwide, "clusterwide is null");
        requireNonNull(slot, "slot is null");
        if (!NAME.matcher(pipeline).matches()) {
            throw new IllegalArgumentException("pipeline name '" + pipeline
                    + "' must be lower-case letters, digits and '_', starting with a letter (it names the replication slot)");
        }
        CellConfig.checkDistinct(cells);
    }

    public PipelineConfig(String pipeline, List<CellConfig> cells, TableSelection tables, DestinationConfig destination,
            CaptureConfig capture, PrivacyConfig privacy, Optional<MonitoringConfig> monitoring, SloConfig slo, AlertsConfig alerts,
            LoggingConfig logging, Optional<RegistryConfig> registry, IdentityConfig identity, ClusterwideConfig clusterwide) {
        this(pipeline, cells, tables, destination, capture, privacy, monitoring, slo, alerts, logging, registry, identity, clusterwide,
                SlotConfig.defaults());
    }

    public PipelineConfig(String pipeline, List<CellConfig> cells, TableSelection tables, DestinationConfig destination,
            CaptureConfig capture) {
        this(pipeline, cells, tables, destination, capture, PrivacyConfig.none(), Optional.empty(), SloConfig.defaults(),
                AlertsConfig.defaults(), LoggingConfig.defaults(), Optional.empty(), IdentityConfig.defaults(), ClusterwideConfig.none());
    }

    /** Replication slot and publication name on every cell. */
    public String slotName() {
        return "cellpipe_" + pipeline;
    }
}
