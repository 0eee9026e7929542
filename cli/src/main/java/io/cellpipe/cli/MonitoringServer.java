package io.cellpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cellpipe.core.alert.Alert;
import io.cellpipe.core.cluster.CrossCellChecks;
import io.cellpipe.core.config.MonitoringConfig;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.SlotWal;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoints of a running pipeline: {@code /metrics} (Prometheus text format),
 * {@code /health} (200 while the applier runs), {@code /ready} (200 when every cell streams) and
 * {@code /status} (JSON, one entry per cell). Built on the JDK's HTTP server.
 */
final class MonitoringServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MonitoringServer.class);

    private final String pipelineName;
    private final Duration freshnessObjective;
    private final Pipeline pipeline;
    private final PipelineWatch watch;
    private final SlotLagMonitor slotLag;
    private final PrometheusMeterRegistry registry;
    private final PipelineMetrics metrics;
    private final CrossCellMetrics crossCellMetrics;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();

    private MonitoringServer(MonitoringConfig listen, PipelineConfig config, Pipeline pipeline, PipelineWatch watch,
            PrometheusMeterRegistry registry) throws IOException {
        this.registry = registry;
        this.pipelineName = config.pipeline();
        this.freshnessObjective = config.slo().freshness();
        this.pipeline = pipeline;
        this.watch = watch;
        this.slotLag = watch.slotLag();
        this.metrics = new PipelineMetrics(registry, pipeline, slotLag, watch.alerts());
        this.crossCellMetrics = new CrossCellMetrics(registry, watch::crossCell, watch::registryWatcher);
        new JvmMemoryMetrics().bindTo(registry);
        try {
            server = HttpServer.create(new InetSocketAddress(listen.host(), listen.port()), 0);
        } catch (IOException e) {
            close();
            throw new IOException("monitoring.listen " + listen.host() + ":" + listen.port() + ": cannot listen (" + e.getMessage()
                    + "); is another process using the port?", e);
        }
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metricsText()));
        server.createContext("/health", this::health);
        server.createContext("/ready", this::ready);
        server.createContext("/status", exchange -> respond(exchange, 200, "application/json", statusJson()));
        server.createContext("/history", exchange -> respond(exchange, 200, "application/json", historyJson()));
        server.createContext("/", this::page);
        server.start();
    }

    /** A registry for {@link #start}, created before the pipeline so that it can time the pipeline's batches. */
    static PrometheusMeterRegistry registry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** Starts serving the meters of {@code registry} and the pipeline's; the caller closes it before the pipeline. */
    static MonitoringServer start(MonitoringConfig listen, PipelineConfig config, Pipeline pipeline, PipelineWatch watch,
            PrometheusMeterRegistry registry) throws IOException {
        MonitoringServer started = new MonitoringServer(listen, config, pipeline, watch, registry);
        log.info("monitoring on http://{}:{}/ (status page, metrics, health, ready, status, history)", listen.host(), started.port());
        return started;
    }

    /** Serves one more endpoint, whose handler needs more than the pipeline (e.g. {@code /resync}, the destination). */
    void route(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(path, handler);
    }

    /** The port actually bound (the configured one, or the one picked for port 0). */
    int port() {
        return server.getAddress().getPort();
    }

    private String metricsText() {
        metrics.refresh();
        crossCellMetrics.refresh();
        return registry.scrape();
    }

    private void health(HttpExchange exchange) throws IOException {
        if (pipeline.applierAlive()) {
            respond(exchange, 200, "text/plain; charset=utf-8", "ok\n");
        } else {
            respond(exchange, 503, "text/plain; charset=utf-8", "the applier is not running: nothing is being loaded\n");
        }
    }

    private void ready(HttpExchange exchange) throws IOException {
        List<CellReport> reports = metrics.refresh();
        StringBuilder reasons = new StringBuilder();
        for (CellReport report : reports) {
            if (report.state() != CellState.STREAMING) {
                reasons.append(ProgressLine.of(report)).append('\n');
            }
        }
        if (reports.isEmpty()) {
            reasons.append("no cells are running\n");
        }
        if (reasons.isEmpty()) {
            respond(exchange, 200, "text/plain; charset=utf-8", "ready: " + reports.size() + " cells streaming\n");
        } else {
            respond(exchange, 503, "text/plain; charset=utf-8", "not ready:\n" + reasons);
        }
    }

    private String statusJson() {
        ObjectNode root = json.createObjectNode();
        root.put("pipeline", pipelineName);
        root.put("applier_alive", pipeline.applierAlive());
        root.put("queue_transactions", pipeline.queuedTransactions());
        root.put("batches", pipeline.batches());
        ArrayNode cells = root.putArray("cells");
        Instant now = Instant.now();
        for (CellReport report : metrics.refresh()) {
            ObjectNode cell = cells.addObject();
            cell.put("cell", report.cellId());
            cell.put("state", report.state().name().toLowerCase(Locale.ROOT));
            cell.put("detail", report.detail());
            cell.put("last_error", report.lastError());
            cell.put("attempts", report.attempts());
            cell.put("applied_lsn", report.appliedLsn().toString());
            cell.put("last_commit_time", report.lastCommitTime() == null ? null : report.lastCommitTime().toString());
            cell.put("lag_seconds", report.lagSeconds());
            putNumber(cell, "freshness_seconds", report.freshnessSeconds(now));
            cell.put("current_as_of", report.currentAsOf() == null ? null : report.currentAsOf().toString());
            cell.put("errors", report.errors());
            cell.put("reconnects", report.reconnects());
            cell.put("changes_applied", report.changesApplied());
            cell.put("transactions_applied", report.transactionsApplied());
            putNumber(cell, "changes_per_second", watch.history().changesPerSecond(report.cellId()));
            ObjectNode snapshot = cell.putObject("snapshot_rows");
            report.snapshotRows().forEach(snapshot::put);
            ObjectNode estimated = cell.putObject("snapshot_estimated_rows");
            report.snapshotEstimates().forEach(estimated::put);
            cell.put("snapshot_started", report.snapshotStarted() == null ? null : report.snapshotStarted().toString());
            ObjectNode tables = cell.putObject("table_changes");
            report.tableChanges().forEach((table, counts) -> {
                ObjectNode byOp = tables.putObject(table);
                counts.forEach((op, count) -> byOp.put(op.name().toLowerCase(Locale.ROOT), count));
            });
            ObjectNode stopped = cell.putObject("stopped_tables");
            report.stoppedTables().forEach(stopped::put);
            slotLag.measured(report.cellId()).ifPresentOrElse(bytes -> cell.put("slot_lag_bytes", bytes), () -> cell.putNull("slot_lag_bytes"));
            SlotWal wal = slotLag.wal(report.cellId()).orElse(null);
            putOptional(cell, "slot_retained_wal_bytes", wal == null ? OptionalLong.empty() : OptionalLong.of(wal.retainedBytes()));
            putOptional(cell, "slot_wal_limit_bytes", wal == null ? OptionalLong.empty() : wal.limitBytes());
            putOptional(cell, "slot_safe_wal_bytes", wal == null ? OptionalLong.empty() : wal.safeBytes());
            cell.put("slot_wal_status", wal == null ? null : wal.walStatus());
        }
        putCrossCell(root);
        ArrayNode alerts = root.putArray("alerts");
        for (Alert alert : watch.alerts().firing()) {
            ObjectNode node = alerts.addObject();
            node.put("kind", alert.kind().name());
            node.put("severity", alert.severity().name().toLowerCase(Locale.ROOT));
            node.put("cell", alert.cell());
            node.put("subject", alert.subject());
            node.put("text", alert.text());
            node.put("since", alert.since().toString());
        }
        return write(root);
    }

    /** The registry's state and the latest cross-cell check, when there are such. */
    private void putCrossCell(ObjectNode root) {
        watch.registryWatcher().ifPresent(watcher -> {
            ObjectNode registry = root.putObject("registry");
            registry.put("last_change", watcher.lastChange().toString());
            registry.put("rejected_edit", watcher.rejection().orElse(null));
        });
        watch.crossCell().map(CrossCellChecks::report).ifPresent(report -> {
            ObjectNode node = root.putObject("cross_cell");
            node.put("checked_at", report.checkedAt() == null ? null : report.checkedAt().toString());
            ObjectNode anomalies = node.putObject("anomalies");
            report.anomalies().forEach(anomalies::put);
            ObjectNode used = node.putObject("sequence_range_used");
            report.rangeUsed().forEach(used::put);
            ArrayNode saturated = node.putArray("saturated_sequences");
            report.saturated().forEach(saturation -> saturated.add(saturation.describe()));
            ObjectNode differences = node.putObject("clusterwide_differences");
            report.differences().forEach((table, found) -> differences.put(table.qualified(), found.size()));
            ArrayNode problems = node.putArray("problems");
            report.problems().forEach(problems::add);
        });
    }

    private String historyJson() {
        ObjectNode root = json.createObjectNode();
        root.put("interval_seconds", watch.historyInterval().toSeconds());
        ObjectNode cells = root.putObject("cells");
        watch.history().snapshot().forEach((cell, samples) -> {
            ArrayNode points = cells.putArray(cell);
            for (CellHistory.Sample sample : samples) {
                ObjectNode point = points.addObject();
                point.put("time", sample.time().toString());
                putNumber(point, "lag_seconds", sample.lagSeconds());
                putNumber(point, "freshness_seconds", sample.freshnessSeconds());
                putNumber(point, "slot_lag_bytes", sample.slotLagBytes());
                putNumber(point, "changes_per_second", sample.changesPerSecond());
            }
        });
        return write(root);
    }

    private void page(HttpExchange exchange) throws IOException {
        if (!"/".equals(exchange.getRequestURI().getPath())) {
            respond(exchange, 404, "text/plain; charset=utf-8", "not found; see / for the status page\n");
            return;
        }
        respond(exchange, 200, "text/html; charset=utf-8", StatusPage.html(pipelineName, freshnessObjective));
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    private String write(ObjectNode root) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putOptional(ObjectNode node, String field, OptionalLong value) {
        if (value.isPresent()) {
            node.put(field, value.getAsLong());
        } else {
            node.putNull(field);
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
        registry.close();
    }
}
