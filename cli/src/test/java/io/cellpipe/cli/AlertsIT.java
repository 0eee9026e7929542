package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.cellpipe.core.alert.Alerts;
import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's own alerts on a real cell: a table stopped by an incompatible change, and a cell
 * that goes down (unreachable, then the freshness objective breached) and comes back. Each shows
 * in /status and /metrics and reaches a webhook, and resolves when the cause is gone.
 */
class AlertsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void raisesAndResolvesAlertsWithLogsMetricsStatusAndWebhook(@TempDir Path dir) throws Exception {
        List<JsonNode> delivered = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", exchange -> {
            delivered.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hook.start();
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            cell.execute("CREATE TABLE public.stop_me (id bigint PRIMARY KEY, n integer)", "INSERT INTO public.stop_me VALUES (1, 1)");
            CapturedCells.createMarkerTable(cell);
            Map<String, String> cells = CapturedCells.cells("cell-1", cell.jdbcUrl());
            String yaml = CapturedCells.yaml(dir.resolve("w.duckdb"), cells, "[\"public.*\"]", "[]")
                    + "monitoring:\n  listen: 127.0.0.1:0\nslo:\n  freshness: 8s\n"
                    + "alerts:\n  interval: 1s\n  webhook:\n    url: http://127.0.0.1:" + hook.getAddress().getPort() + "/hook\n"
                    + "    headers:\n      Authorization: Bearer test\n";
            PipelineConfig config = new ConfigLoader(System::getenv).parse("test.yml", yaml);
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                try (Alerts alerts = Assembly.alerts(config);
                        PipelineWatch watch = Assembly.watch(config, pipeline, alerts);
                        MonitoringServer monitoring = Assembly.monitoring(config, pipeline, watch)) {
                    String base = "http://127.0.0.1:" + monitoring.port();
                    PipelineHarness.awaitStreaming(pipeline, "cell-1", TIMEOUT);

                    cell.execute("ALTER TABLE public.stop_me ALTER COLUMN n TYPE text USING 'n' || n",
                            "INSERT INTO public.stop_me VALUES (2, 'two')");
                    JsonNode stopped = awaitAlert(base, alert -> alert.path("kind").asText().equals("table_stopped"));
                    assertThat(stopped.path("cell").asText()).isEqualTo("cell-1");
                    assertThat(stopped.path("subject").asText()).isEqualTo("public.stop_me");
                    assertThat(stopped.path("severity").asText()).isEqualTo("critical");
                    assertThat(stopped.path("text").asText()).contains("public.stop_me").contains("resnapshot");
                    assertThat(get(base + "/metrics")).contains("cellpipe_alerts_firing{cell=\"cell-1\",kind=\"table_stopped\"} 1.0");
                    awaitDelivered(delivered, "table_stopped", "firing");

                    cell.stop();
                    JsonNode unreachable = awaitAlert(base, alert -> alert.path("kind").asText().equals("cell_unreachable"));
                    assertThat(unreachable.path("text").asText()).contains("cell cell-1 cannot be captured").contains("failed attempts");
                    JsonNode freshness = awaitAlert(base, alert -> alert.path("kind").asText().equals("freshness_slo"));
                    assertThat(freshness.path("text").asText()).contains("behind cell cell-1 (objective 8s)");
                    awaitDelivered(delivered, "cell_unreachable", "firing");
                    awaitDelivered(delivered, "freshness_slo", "firing");

                    cell.restart();
                    awaitDelivered(delivered, "cell_unreachable", "resolved");
                    awaitDelivered(delivered, "freshness_slo", "resolved");
                    JsonNode status = JSON.readTree(get(base + "/status"));
                    assertThat(status.path("alerts")).extracting(alert -> alert.path("kind").asText()).contains("table_stopped")
                            .doesNotContain("cell_unreachable");
                    assertThat(get(base + "/metrics")).contains("cellpipe_alerts_firing{cell=\"cell-1\",kind=\"cell_unreachable\"} 0.0");
                    assertThat(status.path("cells").get(0).path("errors").asLong()).isPositive();
                    assertThat(status.path("cells").get(0).path("reconnects").asLong()).isPositive();
                }
            }
        } finally {
            hook.stop(0);
        }
    }

    private static JsonNode awaitAlert(String base, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode status;
        do {
            status = JSON.readTree(get(base + "/status"));
            for (JsonNode alert : status.path("alerts")) {
                if (condition.test(alert)) {
                    return alert;
                }
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("alert not raised: " + status);
    }

    private static void awaitDelivered(List<JsonNode> delivered, String kind, String state) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (delivered.stream().anyMatch(node -> node.path("kind").asText().equals(kind) && node.path("status").asText().equals(state))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(kind + " " + state + " not delivered to the webhook: " + delivered);
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
