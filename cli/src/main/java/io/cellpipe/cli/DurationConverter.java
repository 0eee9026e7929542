package io.cellpipe.cli;

import io.cellpipe.core.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations on the command line as the configuration file writes them (500ms, 30s, 5m, 1h, 7d). */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Durations.parse(value)
                .orElseThrow(() -> new TypeConversionException("'" + value + "' is not a duration; write e.g. " + Durations.EXAMPLES));
    }
}
