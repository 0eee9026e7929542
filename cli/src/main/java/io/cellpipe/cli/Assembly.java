package io.cellpipe.cli;

import io.cellpipe.core.alert.Alerts;
import io.cellpipe.core.alert.LogAlertSink;
import io.cellpipe.core.alert.WebhookAlertSink;
import io.cellpipe.core.cluster.CrossCellChecks;
import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.config.ConfigException;
import io.cellpipe.core.config.DestinationConfig;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.config.RegistryConfig;
import io.cellpipe.core.pipeline.RegistryWatcher;
import io.cellpipe.core.pipeline.Supervisor;
import io.cellpipe.core.spi.Source;
import io.cellpipe.core.privacy.ColumnPolicies;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.duckdb.DuckDbDestination;
import io.cellpipe.duckdb.DuckDbOptions;
import io.cellpipe.postgres.PostgresCellInspector;
import io.cellpipe.postgres.PostgresSource;
import io.cellpipe.core.spi.CellState;
import java.util.HashSet;
import java.util.Set;
import io.cellpipe.postgres.PostgresSourceOptions;
import io.cellpipe.core.pipeline.Pipeline;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place the object graph is put together from a configuration. */
final class Assembly {
    private static final Logger log = LoggerFactory.getLogger(Assembly.class);

    private Assembly() {
    }

    static Destination destination(DestinationConfig config) {
        return switch (config.type()) {
            case "duckdb" -> new DuckDbDestination(DuckDbOptions.from(config.options()));
            default -> throw new ConfigException(config.options().file() + ": destination '" + config.type()
                    + "' is not known; supported: duckdb");
        };
    }

    /**
     * Where alerts go: the log, and the webhook when configured. Anything may raise alerts into it
     * ({@code alerts.raise(kind, cell, subject, text)}); the caller closes it last.
     */
    static Alerts alerts(PipelineConfig config) {
        Alerts alerts = new Alerts().addSink(new LogAlertSink());
        config.alerts().webhook().ifPresent(webhook -> {
            alerts.addSink(new WebhookAlertSink(webhook, config.pipeline()));
            log.info("alerts are also sent to {}", webhook.safeUrl());
        });
        return alerts;
    }

    /** Slot measurements, history and the alert rules of a started pipeline; runs with or without the HTTP endpoints. */
    static PipelineWatch watch(PipelineConfig config, Pipeline pipeline, Alerts alerts) {
        return PipelineWatch.start(config, pipeline, alerts);
    }

    /** The HTTP endpoints of a started pipeline, or null when the configuration has no monitoring section. */
    static MonitoringServer monitoring(PipelineConfig config, Pipeline pipeline, PipelineWatch watch) throws IOException {
        return monitoring(config, pipeline, watch, MonitoringServer.registry());
    }

    /** Like {@link #monitoring(PipelineConfig, Pipeline, PipelineWatch)}, serving meters registered before, e.g. batch timings. */
    static MonitoringServer monitoring(PipelineConfig config, Pipeline pipeline, PipelineWatch watch, PrometheusMeterRegistry meters)
            throws IOException {
        if (config.monitoring().isEmpty()) {
            meters.close();
            return null;
        }
        return MonitoringServer.start(config.monitoring().get(), config, pipeline, watch, meters);
    }

    /** A pipeline that times its batches into {@code meters}. */
    static Pipeline pipeline(Destination destination, PipelineConfig config, PrometheusMeterRegistry meters) {
        return new Pipeline(destination, config.capture(), PipelineMetrics.batchTimer(meters));
    }

    /** Like {@link #watch(PipelineConfig, Pipeline, Alerts)}, following the cells the supervisor runs. */
    static PipelineWatch watch(PipelineConfig config, Pipeline pipeline, Alerts alerts, Supervisor supervisor, CrossCellChecks checks,
            RegistryWatcher watcher) {
        return PipelineWatch.start(config, pipeline, alerts, supervisor::cells).following(checks, watcher);
    }

    /** How the supervisor opens a cell, and what it does with one removed from the registry. */
    static Supervisor.Cells cells(PipelineConfig config) {
        ColumnPolicies policies = policies(config);
        boolean dropSlot = config.registry().map(RegistryConfig::dropSlotOnRemove).orElse(false);
        return new Supervisor.Cells() {
            @Override
            public Source open(CellConfig cell) {
                return source(config, cell, policies);
            }

            @Override
            public void removed(CellConfig cell) {
                if (dropSlot) {
                    source(config, cell, policies).dropSlot();
                }
            }
        };
    }

    /**
     * The cross-cell checks over the supervisor's cells, started; null when there is nothing to check
     * (no sequence ranges, globally unique or clusterwide tables, and no registry that could add
     * ranges) or the destination cannot answer queries.
     */
    static CrossCellChecks crossCellChecks(PipelineConfig config, Destination destination, Pipeline pipeline, Supervisor supervisor,
            Alerts alerts) {
        boolean anything = config.registry().isPresent() || !config.identity().globallyUnique().isEmpty() || !config.clusterwide().isEmpty()
                || config.cells().stream().anyMatch(cell -> !cell.sequenceRanges().isEmpty());
        if (!anything || destination.crossCellQueries().isEmpty()) {
            return null;
        }
        return new CrossCellChecks(supervisor::cells, () -> streamingCells(pipeline), config.tables(), config.identity(), config.clusterwide(),
                new PostgresCellInspector(), destination.crossCellQueries().get(), alerts).start();
    }

    static Set<String> streamingCells(Pipeline pipeline) {
        Set<String> streaming = new HashSet<>();
        pipeline.report().forEach(report -> {
            if (report.state() == CellState.STREAMING) {
                streaming.add(report.cellId());
            }
        });
        return streaming;
    }

    static List<PostgresSource> sources(PipelineConfig config) {
        ColumnPolicies policies = policies(config);
        return config.cells().stream().map(cell -> source(config, cell, policies)).toList();
    }

    static PostgresSource source(PipelineConfig config, CellConfig cell) {
        return source(config, cell, policies(config));
    }

    private static PostgresSource source(PipelineConfig config, CellConfig cell, ColumnPolicies policies) {
        return new PostgresSource(new PostgresSourceOptions(cell, config.pipeline(), config.tables(), config.capture(), policies,
                config.slot()));
    }

    /** One set of policies shared by every cell's capture and by verification (it is immutable and thread-safe). */
    static ColumnPolicies policies(PipelineConfig config) {
        return new ColumnPolicies(config.privacy());
    }

    /** What status output may say about the hash keys: their fingerprints, never the keys. */
    static String privacySummary(PipelineConfig config) {
        StringBuilder keys = new StringBuilder();
        config.privacy().keys().forEach((category, key) -> keys.append(keys.isEmpty() ? "" : ", ").append(category).append(' ')
                .append(key.fingerprint()));
        return config.privacy().columns().size() + " column policies, unmatched columns " + config.privacy().defaultPolicy()
                + ", " + config.privacy().rowFilters().size() + " row filters"
                + (keys.isEmpty() ? "" : ", hash keys (fingerprints): " + keys);
    }
}
