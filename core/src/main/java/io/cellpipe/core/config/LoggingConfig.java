package io.cellpipe.core.config;

import static java.util.Objects.requireNonNull;

/** How the process logs: {@code text} lines for people, or one JSON object per line for a log pipeline. */
public record LoggingConfig(Format format) {
    public enum Format {
        TEXT,
        JSON
    }

    public LoggingConfig {
        requireNonNull(format, "format is null");
    }

    public static LoggingConfig defaults() {
        return new LoggingConfig(Format.TEXT);
    }
}
