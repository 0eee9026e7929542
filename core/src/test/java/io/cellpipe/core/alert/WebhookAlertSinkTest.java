package io.cellpipe.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.cellpipe.core.config.WebhookConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server on a local port. */
class WebhookAlertSinkTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void retriesAFailingEndpointUntilItAcceptsAndSendsInOrder() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        List<JsonNode> accepted = new CopyOnWriteArrayList<>();
        List<String> authorizations = new CopyOnWriteArrayList<>();
        URI url = serve(exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            // the first two requests fail, as an endpoint that is restarting would
            int status = requests.incrementAndGet() <= 2 ? 503 : 204;
            if (status == 204) {
                accepted.add(new ObjectMapper().readTree(new String(body, StandardCharsets.UTF_8)));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        WebhookConfig config = new WebhookConfig(url, Map.of("Authorization", "Bearer token-1"), Duration.ofSeconds(5), 5);
        Alerts alerts = new Alerts();
        try (WebhookAlertSink sink = new WebhookAlertSink(config, "analytics", Duration.ofMillis(50))) {
            alerts.addSink(sink);
            alerts.raise(AlertKind.TABLE_STOPPED, "cell-1", "public.users", "table public.users of cell cell-1 stopped loading");
            alerts.resolve(AlertKind.TABLE_STOPPED, "cell-1", "public.users");
            await(() -> accepted.size() == 2);
        }
        assertThat(requests.get()).isEqualTo(4);
        assertThat(authorizations).containsOnly("Bearer token-1");
        JsonNode firing = accepted.get(0);
        assertThat(firing.path("pipeline").asText()).isEqualTo("analytics");
        assertThat(firing.path("status").asText()).isEqualTo("firing");
        assertThat(firing.path("kind").asText()).isEqualTo("table_stopped");
        assertThat(firing.path("severity").asText()).isEqualTo("critical");
        assertThat(firing.path("cell").asText()).isEqualTo("cell-1");
        assertThat(firing.path("subject").asText()).isEqualTo("public.users");
        assertThat(firing.path("text").asText()).contains("stopped loading");
        assertThat(Instant.parse(firing.path("since").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(firing.path("resolved_at").isNull()).isTrue();
        JsonNode resolved = accepted.get(1);
        assertThat(resolved.path("status").asText()).isEqualTo("resolved");
        assertThat(Instant.parse(resolved.path("resolved_at").asText())).isAfterOrEqualTo(Instant.parse(firing.path("since").asText()));
    }

    @Test
    void aHangingEndpointNeverHoldsUpWhoRaises() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger requests = new AtomicInteger();
        URI url = serve(exchange -> {
            requests.incrementAndGet();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        WebhookConfig config = new WebhookConfig(url, Map.of(), Duration.ofSeconds(10), 1);
        try (WebhookAlertSink sink = new WebhookAlertSink(config, "analytics", Duration.ofMillis(50))) {
            Alerts alerts = new Alerts().addSink(sink);
            long started = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                alerts.raise(AlertKind.CELL_UNREACHABLE, "cell-" + i, "down");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            await(() -> requests.get() == 1);
            release.countDown();
            await(sink::idle);
            assertThat(requests.get()).isEqualTo(50);
        }
    }

    @Test
    void neverShowsTheUrlOrHeadersItWasGiven() {
        WebhookConfig config = new WebhookConfig(URI.create("https://hooks.example.com/services/T000/SECRET"),
                Map.of("Authorization", "Bearer hidden"), Duration.ofSeconds(5), 3);
        assertThat(config.toString()).doesNotContain("SECRET").doesNotContain("hidden").contains("https://hooks.example.com/...");
    }

    private URI serve(com.sun.net.httpserver.HttpHandler handler) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook/T1/secret", handler);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook/T1/secret");
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached within %s", TIMEOUT).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
