package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cellpipe.core.alert.Alerts;
import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A pipeline with {@code monitoring.listen} serves /health, /ready, /metrics and /status for its
 * cells, and {@code cellpipe status} shows them, or the warehouse's checkpoints once it stopped.
 */
class MonitoringIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static EmbeddedCell cell;

    @BeforeAll
    static void startCell() {
        cell = EmbeddedCell.start();
        cell.execute("CREATE TABLE public.accounts (id bigint PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO public.accounts SELECT g, 'account ' || g FROM generate_series(1, 100) g");
        CapturedCells.createMarkerTable(cell);
    }

    @AfterAll
    static void stopCell() {
        if (cell != null) {
            cell.close();
        }
    }

    @Test
    void servesMetricsHealthReadinessAndStatus(@TempDir Path dir) throws Exception {
        Path warehouse = dir.resolve("w.duckdb");
        Map<String, String> cells = CapturedCells.cells("cell-1", cell.jdbcUrl());
        String yaml = CapturedCells.yaml(warehouse, cells, "[\"public.*\"]", "[]");
        PipelineConfig config = new ConfigLoader(System::getenv).parse("test.yml", yaml + "monitoring:\n  listen: 127.0.0.1:0\n");
        Path statusConfig = dir.resolve("cellpipe.yml");
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters = MonitoringServer.registry();
        try (Destination destination = Assembly.destination(config.destination());
                Pipeline pipeline = Assembly.pipeline(destination, config, meters)) {
            pipeline.start(Assembly.sources(config));
            try (Alerts alerts = Assembly.alerts(config);
                    PipelineWatch watch = Assembly.watch(config, pipeline, alerts);
                    MonitoringServer monitoring = Assembly.monitoring(config, pipeline, watch, meters)) {
                String base = "http://127.0.0.1:" + monitoring.port();
                awaitStatus(base + "/ready", 200);
                assertThat(get(base + "/health").statusCode()).isEqualTo(200);
                cell.execute("INSERT INTO public.accounts SELECT g, 'new ' || g FROM generate_series(101, 150) g",
                        "UPDATE public.accounts SET name = name || '!' WHERE id <= 10");
                CapturedCells.catchUp(pipeline, cells, TIMEOUT);

                String metrics = get(base + "/metrics").body();
                assertThat(value(metrics, "cellpipe_changes_applied_total{cell=\"cell-1\"}")).isGreaterThanOrEqualTo(60);
                assertThat(value(metrics, "cellpipe_transactions_applied_total{cell=\"cell-1\"}")).isGreaterThanOrEqualTo(2);
                assertThat(value(metrics, "cellpipe_replication_lag_seconds{cell=\"cell-1\"}")).isBetween(0.0, 60.0);
                assertThat(value(metrics, "cellpipe_cell_state{cell=\"cell-1\",state=\"streaming\"}")).isEqualTo(1.0);
                assertThat(value(metrics, "cellpipe_cell_state{cell=\"cell-1\",state=\"retrying\"}")).isEqualTo(0.0);
                assertThat(value(metrics, "cellpipe_cell_retries{cell=\"cell-1\"}")).isEqualTo(0.0);
                assertThat(value(metrics, "cellpipe_snapshot_rows{cell=\"cell-1\",table=\"public.accounts\"}")).isEqualTo(100.0);
                assertThat(value(metrics, "cellpipe_stopped_tables{cell=\"cell-1\"}")).isEqualTo(0.0);
                assertThat(value(metrics, "cellpipe_queue_transactions")).isGreaterThanOrEqualTo(0.0);
                assertThat(value(metrics, "cellpipe_batches_total")).isGreaterThanOrEqualTo(1.0);
                assertThat(value(metrics, "cellpipe_batch_duration_seconds_count")).isGreaterThanOrEqualTo(1.0);
                assertThat(value(metrics, "cellpipe_batch_duration_seconds_bucket{le=\"+Inf\"}"))
                        .isEqualTo(value(metrics, "cellpipe_batch_duration_seconds_count"));
                assertThat(metrics).contains("cellpipe_batch_duration_seconds_bucket{le=\"0.1\"}");
                assertThat(metrics).contains("jvm_memory_used_bytes{").contains("cellpipe_slot_lag_bytes{cell=\"cell-1\"}");
                assertThat(value(metrics, "cellpipe_table_changes_applied_total{cell=\"cell-1\",op=\"insert\",table=\"public.accounts\"}"))
                        .isEqualTo(50.0);
                assertThat(value(metrics, "cellpipe_table_changes_applied_total{cell=\"cell-1\",op=\"update\",table=\"public.accounts\"}"))
                        .isEqualTo(10.0);
                assertThat(value(metrics, "cellpipe_freshness_seconds{cell=\"cell-1\"}")).isBetween(0.0, 60.0);
                assertThat(value(metrics, "cellpipe_cell_errors_total{cell=\"cell-1\"}")).isZero();
                assertThat(value(metrics, "cellpipe_cell_reconnects_total{cell=\"cell-1\"}")).isZero();
                assertThat(metrics).contains("cellpipe_slot_retained_wal_bytes{cell=\"cell-1\"}")
                        .contains("cellpipe_snapshot_rows_estimated{cell=\"cell-1\",table=\"public.accounts\"}");

                JsonNode status = awaitSlotLag(base + "/status");
                assertThat(status.path("pipeline").asText()).isEqualTo("test");
                JsonNode cellStatus = status.path("cells").get(0);
                assertThat(cellStatus.path("cell").asText()).isEqualTo("cell-1");
                assertThat(cellStatus.path("state").asText()).isEqualTo("streaming");
                assertThat(cellStatus.path("detail").asText()).contains("streaming from");
                assertThat(cellStatus.path("last_error").isNull()).isTrue();
                assertThat(cellStatus.path("applied_lsn").asText()).matches("[0-9A-F]+/[0-9A-F]+");
                assertThat(cellStatus.path("lag_seconds").asDouble()).isBetween(0.0, 60.0);
                assertThat(cellStatus.path("changes_applied").asLong()).isGreaterThanOrEqualTo(60);
                assertThat(cellStatus.path("snapshot_rows").path("public.accounts").asLong()).isEqualTo(100);
                assertThat(cellStatus.path("stopped_tables").size()).isZero();
                assertThat(cellStatus.path("slot_lag_bytes").asLong()).isGreaterThanOrEqualTo(0);
                assertThat(cellStatus.path("slot_retained_wal_bytes").asLong()).isGreaterThanOrEqualTo(cellStatus.path("slot_lag_bytes").asLong());
                assertThat(cellStatus.path("slot_wal_status").asText()).isIn("reserved", "extended");
                assertThat(cellStatus.path("table_changes").path("public.accounts").path("insert").asLong()).isEqualTo(50);
                assertThat(cellStatus.path("errors").asLong()).isZero();

                // idle: heartbeats keep confirming the warehouse current, so freshness moves past the last commit
                JsonNode idle = awaitCell(base + "/status", node -> java.time.Instant.parse(node.path("current_as_of").asText())
                        .isAfter(java.time.Instant.parse(node.path("last_commit_time").asText()).plusSeconds(1)));
                assertThat(idle.path("freshness_seconds").asDouble()).isBetween(0.0, 30.0);

                Files.writeString(statusConfig, yaml + "monitoring:\n  listen: 127.0.0.1:" + monitoring.port() + "\n");
                String live = status(statusConfig);
                assertThat(live).contains("pipeline test is running").contains("cell-1").contains("streaming").contains("FRESHNESS")
                        .contains("alerts: none firing")
                        // applied LSN: idle positions move it on past the last commit, so no fixed value
                        .containsPattern("cell-1 +streaming .* [0-9A-F]+/[0-9A-F]+ ");
            }
        }

        String fromWarehouse = status(statusConfig);
        assertThat(fromWarehouse).contains("no pipeline answers").contains("from the warehouse's checkpoints")
                .containsPattern("cell-1 +[0-9A-F]+/[0-9A-F]+ +20");
    }

    private static String status(Path config) {
        CommandLine commandLine = Main.commandLine();
        StringWriter out = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        int exitCode = commandLine.execute("status", "--config", config.toString());
        assertThat(exitCode).as(out.toString()).isZero();
        return out.toString();
    }

    /** The value of the sample whose name and labels are exactly {@code series}. */
    private static double value(String metrics, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertThat(matcher.find()).as("series %s in:%n%s", series, metrics).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    /** The slot lag is measured on its own schedule; wait for the first measurement after the slot exists. */
    private static JsonNode awaitSlotLag(String url) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode status;
        do {
            status = new ObjectMapper().readTree(get(url).body());
            if (!status.path("cells").get(0).path("slot_lag_bytes").isNull()) {
                return status;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no slot lag measured: " + status);
    }

    /** Polls /status until the first cell satisfies the condition; returns that cell. */
    private static JsonNode awaitCell(String url, java.util.function.Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode cellStatus;
        do {
            cellStatus = new ObjectMapper().readTree(get(url).body()).path("cells").get(0);
            if (condition.test(cellStatus)) {
                return cellStatus;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("condition not reached: " + cellStatus);
    }

    private static void awaitStatus(String url, int expected) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        HttpResponse<String> response;
        do {
            response = get(url);
            if (response.statusCode() == expected) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(url + " answered " + response.statusCode() + ": " + response.body());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
