package io.cellpipe.cli;

import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.config.ConfigException;
import io.cellpipe.core.config.DestinationConfig;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.duckdb.DuckDbDestination;
import io.cellpipe.duckdb.DuckDbOptions;
import io.cellpipe.postgres.PostgresSource;
import io.cellpipe.postgres.PostgresSourceOptions;
import java.util.List;

/** The one place the object graph is put together from a configuration. */
final class Assembly {
    private Assembly() {
    }

    static Destination destination(DestinationConfig config) {
        return switch (config.type()) {
            case "duckdb" -> new DuckDbDestination(DuckDbOptions.from(config.options()));
            default -> throw new ConfigException(config.options().file() + ": destination '" + config.type()
                    + "' is not known; supported: duckdb");
        };
    }

    static List<PostgresSource> sources(PipelineConfig config) {
        return config.cells().stream().map(cell -> source(config, cell)).toList();
    }

    static PostgresSource source(PipelineConfig config, CellConfig cell) {
        return new PostgresSource(new PostgresSourceOptions(cell, config.pipeline(), config.tables(), config.capture()));
    }
}
