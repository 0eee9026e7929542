package io.cellpipe.cli;

import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static io.cellpipe.cli.PipelineHarness.catchUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.Resync;
import io.cellpipe.testing.DemoSchema;
import io.cellpipe.testing.EmbeddedCell;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /resync} takes requests only from holders of the admin token, as JSON, not from a web page,
 * and a request's key bounds are values: nothing in a request becomes SQL in the cell or the warehouse.
 */
class ResyncSecurityIT {
    private static final String TOKEN = ResyncIT.ADMIN_TOKEN;
    private static final String INJECTION = "true); DROP TABLE public.projects; COPY (SELECT 42) TO '%s'; SELECT (1";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void onlyTheTokenHolderMayAskAndBoundsNeverBecomeSql(@TempDir Path dir) throws Exception {
        Path planted = dir.resolve("planted.txt");
        String injection = INJECTION.formatted(planted);
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            try (Connection connection = cell.connect(); Statement statement = connection.createStatement()) {
                DemoSchema.create(connection);
                statement.execute("CREATE TABLE public.tags (name text PRIMARY KEY, note text)");
                statement.execute("INSERT INTO public.tags VALUES ('a''b', 'quote'), (E'c\\\\d', 'backslash'), ('e', 'plain'), ('z', 'after')");
            }
            Path warehouse = dir.resolve("w.duckdb");
            PipelineConfig config = new ConfigLoader(System::getenv).parse("test.yml", PipelineHarness.yaml(warehouse, List.of(cell),
                    "monitoring:\n  listen: 127.0.0.1:0\n  admin_token: " + TOKEN + "\n"));
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
                try (io.cellpipe.core.alert.Alerts alerts = Assembly.alerts(config);
                        PipelineWatch watch = Assembly.watch(config, pipeline, alerts);
                        MonitoringServer monitoring = Assembly.monitoring(config, pipeline, watch)) {
                    monitoring.route("/resync", new ResyncEndpoint(destination, config));
                    URI endpoint = URI.create("http://127.0.0.1:" + monitoring.port() + "/resync");
                    String whereBody = "{\"cell\":\"cell-1\",\"table\":\"public.projects\",\"where\":\"" + injection.replace("'", "\\u0027") + "\"}";

                    // a page in a browser: text/plain (no preflight), its own Origin, no credential
                    assertThat(post(endpoint, whereBody, "text/plain", "http://attacker.example", null).statusCode()).isEqualTo(403);
                    assertThat(post(endpoint, whereBody, "text/plain", null, null).statusCode()).isEqualTo(401);
                    assertThat(post(endpoint, whereBody, "text/plain", "http://attacker.example", TOKEN).statusCode()).isEqualTo(403);
                    assertThat(post(endpoint, whereBody, "text/plain", null, TOKEN).statusCode()).isEqualTo(415);
                    assertThat(post(endpoint, whereBody, "application/json", null, "not-" + TOKEN).statusCode()).isEqualTo(401);
                    assertThat(get(endpoint, null).statusCode()).isEqualTo(401);
                    String large = "{\"cell\":\"cell-1\",\"pad\":\"" + "x".repeat(AdminGuard.MAX_BODY_BYTES) + "\"}";
                    assertThat(post(endpoint, large, "application/json", null, TOKEN).statusCode()).isEqualTo(413);
                    // the token holder may not send SQL either
                    HttpResponse<String> where = post(endpoint, whereBody, "application/json", null, TOKEN);
                    assertThat(where.statusCode()).isEqualTo(400);
                    assertThat(where.body()).contains("where is not accepted");
                    assertThat(destination.resyncs()).isEmpty();

                    // a bound holding SQL is a value of the key's type: refused by the cell, as a value
                    HttpResponse<String> bad = post(endpoint, "{\"cell\":\"cell-1\",\"table\":\"public.projects\",\"from_key\":["
                            + json(injection) + "]}", "application/json", null, TOKEN);
                    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(202);
                    Resync failed = PipelineHarness.awaitResyncFinished(destination, 0, Duration.ofSeconds(60));
                    assertThat(failed.state()).as("%s", failed).isEqualTo(Resync.State.FAILED);
                    assertThat(failed.detail()).contains("bigint");

                    // text bounds with a quote and a backslash select exactly their rows
                    HttpResponse<String> tags = post(endpoint, "{\"cell\":\"cell-1\",\"table\":\"public.tags\",\"from_key\":[\"a'b\"],"
                            + "\"to_key\":[\"c\\\\d\"],\"chunk_rows\":1}", "application/json", null, TOKEN);
                    assertThat(tags.statusCode()).as(tags.body()).isEqualTo(202);
                    Resync done = PipelineHarness.awaitResyncFinished(destination, 1, Duration.ofSeconds(60));
                    assertThat(done.state()).as("%s", done).isEqualTo(Resync.State.DONE);
                    assertThat(done.rowsDone()).isEqualTo(2);
                    assertThat(get(endpoint, TOKEN).body()).contains("\"from_key\":[\"a'b\"]");
                }
                try (Connection connection = cell.connect(); Statement statement = connection.createStatement()) {
                    statement.executeQuery("SELECT count(*) FROM public.projects").close();
                }
                catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
                PipelineHarness.assertMatches(destination, config);
            }
            assertThat(planted).doesNotExist();
            assertThat(new WarehouseFile(warehouse).count("SELECT count(*) FROM public.tags WHERE NOT _deleted")).isEqualTo(4);
        }
    }

    @Test
    void withoutATokenTheEndpointIsOff(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            try (Connection connection = cell.connect()) {
                DemoSchema.create(connection);
            }
            PipelineConfig config = new ConfigLoader(System::getenv).parse("test.yml",
                    PipelineHarness.yaml(dir.resolve("w.duckdb"), List.of(cell), "monitoring:\n  listen: 127.0.0.1:0\n"));
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture());
                    io.cellpipe.core.alert.Alerts alerts = Assembly.alerts(config);
                    PipelineWatch watch = Assembly.watch(config, pipeline, alerts);
                    MonitoringServer monitoring = Assembly.monitoring(config, pipeline, watch)) {
                pipeline.start(List.of());
                monitoring.route("/resync", new ResyncEndpoint(destination, config));
                URI endpoint = URI.create("http://127.0.0.1:" + monitoring.port() + "/resync");
                HttpResponse<String> refused = post(endpoint, "{\"cell\":\"cell-1\"}", "application/json", null, TOKEN);
                assertThat(refused.statusCode()).isEqualTo(403);
                assertThat(refused.body()).contains("monitoring.admin_token");
                assertThat(destination.resyncs()).isEmpty();
            }
        }
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private HttpResponse<String> post(URI endpoint, String body, String type, String origin, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            request.header("Origin", origin);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI endpoint, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
