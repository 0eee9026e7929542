package io.cellpipe.core.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/** How often the alert rules run, and where alerts go besides the log and the metrics. */
public record AlertsConfig(Duration interval, Optional<WebhookConfig> webhook) {
    public AlertsConfig {
        requireNonNull(interval, "interval is null");
        requireNonNull(webhook, "webhook is null");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("alerts.interval must be positive, e.g. 10s");
        }
    }

    public static AlertsConfig defaults() {
        return new AlertsConfig(Duration.ofSeconds(10), Optional.empty());
    }
}
