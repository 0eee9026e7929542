package io.cellpipe.cli;

import io.cellpipe.core.alert.Alerts;
import io.cellpipe.core.cluster.CrossCellChecks;
import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.LoggingConfig;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.pipeline.RegistryWatcher;
import io.cellpipe.core.pipeline.Supervisor;
import io.cellpipe.core.spi.Destination;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the pipeline until SIGINT or SIGTERM, then drains, checkpoints and exits 0. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the pipeline until interrupted.")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--config", required = true, description = "Pipeline configuration (YAML).")
    Path config;

    @Option(names = "--resnapshot", split = ",", paramLabel = "CELL",
            description = "Forget what the warehouse holds for these cells and copy them again (after a lost slot).")
    List<String> resnapshot = List.of();

    @Option(names = "--rehash",
            description = "Accept hash keys that differ from the ones the warehouse was hashed with: record them and copy every cell again.")
    boolean rehash;

    @Option(names = "--progress-interval", defaultValue = "30s",
            description = "How often to log per-cell progress, snapshots with rows/s and ETA (e.g. 30s).",
            converter = DurationConverter.class)
    Duration progressInterval;

    @Override
    public Integer call() throws Exception {
        PipelineConfig pipelineConfig = new ConfigLoader(System::getenv).load(config);
        LogFormat.apply(pipelineConfig.logging());
        CountDownLatch stopped = new CountDownLatch(1);
        PrometheusMeterRegistry meters = MonitoringServer.registry();
        try (Alerts alerts = Assembly.alerts(pipelineConfig);
                Destination destination = Assembly.destination(pipelineConfig.destination());
                Pipeline pipeline = Assembly.pipeline(destination, pipelineConfig, meters)) {
            List<String> recopy = new ArrayList<>(resnapshot);
            HashKeyGuard.check(pipelineConfig, destination, rehash).stream().filter(cell -> !recopy.contains(cell)).forEach(recopy::add);
            for (String cell : recopy) {
                log.info("{}: forgetting the warehouse checkpoint; the cell is copied again", cell);
                destination.beginSnapshot(cell, List.of());
            }
            StopSignals.onStop(stopped::countDown);
            pipeline.start(List.of());
            Supervisor supervisor = new Supervisor(pipeline, Assembly.cells(pipelineConfig), Duration.ofSeconds(60));
            supervisor.reconcile(pipelineConfig.cells());
            // pipeline.stop runs inside: the endpoints are served until the pipeline has drained, so /health and /status show the stop
            try (RegistryWatcher watcher = pipelineConfig.registry().map(registry -> RegistryWatcher.start(registry, supervisor, alerts)).orElse(null);
                    CrossCellChecks checks = Assembly.crossCellChecks(pipelineConfig, destination, pipeline, supervisor, alerts);
                    PipelineWatch watch = Assembly.watch(pipelineConfig, pipeline, alerts, supervisor, checks, watcher);
                    MonitoringServer monitoring = Assembly.monitoring(pipelineConfig, pipeline, watch, meters);
                    TerminalProgress progress = TerminalProgress.startIfTerminal(pipeline,
                            pipelineConfig.logging().format() == LoggingConfig.Format.TEXT)) {
                log.info("pipeline {} running with {} cells{}; stop with Ctrl-C (SIGINT) or SIGTERM", pipelineConfig.pipeline(),
                        pipelineConfig.cells().size(), pipelineConfig.registry().map(registry -> " from registry " + registry.file()
                                + " (watched)").orElse(""));
                if (monitoring != null) {
                    monitoring.route("/resync", new ResyncEndpoint(destination, pipelineConfig));
                }
                log.info("privacy: {}", Assembly.privacySummary(pipelineConfig));
                while (!stopped.await(progressInterval.toMillis(), TimeUnit.MILLISECONDS)) {
                    for (CellReport report : pipeline.report()) {
                        log.info("{}", ProgressLine.of(report));
                    }
                }
                log.info("stop requested: draining and checkpointing");
                if (watcher != null) {
                    watcher.close();
                }
                if (checks != null) {
                    checks.close();
                }
                pipeline.stop(Duration.ofSeconds(60));
            }
        }
        return 0;
    }
}
