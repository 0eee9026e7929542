package io.cellpipe.core.config;

import static java.util.Objects.requireNonNull;

/** The destination's type (its factory identifier) and its own options, validated by that factory. */
public record DestinationConfig(String type, ConfigSection options) {
    public DestinationConfig {
        requireNonNull(type, "type is null");
        requireNonNull(options, "options is null");
    }
}
