package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.cellpipe.core.alert.Alerts;
import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A password never leaves the process: not when the driver quotes a URL it cannot parse (a password
 * with {@code %}) in its error, which reaches the log, {@code /status}, {@code /ready}, alerts, the
 * webhook and {@code check}; and a password from a variable is percent-encoded, so it works.
 */
class CredentialLeakIT {
    private static final String LITERAL_SECRET = "Leak%Secret";
    private static final String VARIABLE_SECRET = "100%&sure#";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void passwordsAreScrubbedEverywhereAndVariablesEncoded(@TempDir Path dir) throws Exception {
        List<String> delivered = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", exchange -> {
            delivered.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hook.start();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> appender = captureLog(log);
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            cell.execute("CREATE TABLE public.notes (id bigint PRIMARY KEY, note text)", "INSERT INTO public.notes VALUES (1, 'one')");
            String good = "jdbc:postgresql://127.0.0.1:" + cell.port() + "/postgres?user=postgres&password=${CELL_PASSWORD}";
            String bad = "jdbc:postgresql://127.0.0.1:" + cell.port() + "/postgres?user=postgres&password=" + LITERAL_SECRET;
            String yaml = "pipeline: test\ncells:\n  - id: cell-1\n    url: \"" + good + "\"\n  - id: cell-2\n    url: \"" + bad + "\"\n"
                    + "destination:\n  duckdb:\n    path: \"" + dir.resolve("w.duckdb") + "\"\n"
                    + "capture:\n  retry_initial: 200ms\n  retry_max: 500ms\n"
                    + "monitoring:\n  listen: 127.0.0.1:0\n"
                    + "alerts:\n  interval: 200ms\n  webhook:\n    url: http://127.0.0.1:" + hook.getAddress().getPort() + "/hook\n";
            PipelineConfig config = new ConfigLoader(Map.of("CELL_PASSWORD", VARIABLE_SECRET)::get).parse("test.yml", yaml);
            assertThat(config.toString()).doesNotContain(LITERAL_SECRET).doesNotContain("Secret");
            String status;
            String ready;
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture());
                    Alerts alerts = Assembly.alerts(config);
                    PipelineWatch watch = Assembly.watch(config, pipeline, alerts);
                    MonitoringServer monitoring = Assembly.monitoring(config, pipeline, watch)) {
                pipeline.start(Assembly.sources(config));
                // the encoded password works; the literal one breaks the URL, and the cell retries
                PipelineHarness.awaitStreaming(pipeline, "cell-1", TIMEOUT);
                CapturedCells.awaitReport(pipeline, "cell-2", report -> report.state() == CellState.RETRYING
                        && report.attempts() >= 3, TIMEOUT);
                awaitDelivered(delivered, "cell_unreachable");
                String base = "http://127.0.0.1:" + monitoring.port();
                status = get(base + "/status");
                ready = get(base + "/ready");
            }
            assertThat(new ObjectMapper().readTree(status).path("cells").toString()).contains("cell-2").contains("password=***");
            StringWriter check = new StringWriter();
            Path file = dir.resolve("check.yml");
            Files.writeString(file, "pipeline: test\ncells:\n  - id: cell-2\n    url: \"" + bad + "\"\n"
                    + "destination:\n  duckdb:\n    path: \"" + dir.resolve("check.duckdb") + "\"\n");
            var commandLine = Main.commandLine();
            commandLine.setOut(new PrintWriter(check, true));
            commandLine.setErr(new PrintWriter(check, true));
            int exit = commandLine.execute("check", "--config", file.toString());
            assertThat(exit).as(check.toString()).isNotZero();
            assertThat(check.toString()).contains("cell-2");

            String logged = log.toString(StandardCharsets.UTF_8);
            assertThat(logged).as("the log says what failed").contains("cell-2");
            for (String[] place : new String[][] {{"log", logged}, {"/status", status}, {"/ready", ready}, {"webhook", String.join("\n", delivered)},
                    {"check", check.toString()}}) {
                assertThat(place[1]).as(place[0]).doesNotContain(LITERAL_SECRET).doesNotContain("Secret")
                        .doesNotContain(VARIABLE_SECRET).doesNotContain("sure");
            }
        } finally {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
            appender.stop();
            hook.stop(0);
        }
    }

    private static OutputStreamAppender<ILoggingEvent> captureLog(ByteArrayOutputStream bytes) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ScrubbedLog.Text encoder = new ScrubbedLog.Text();
        encoder.setContext(context);
        encoder.setPattern(LogFormat.TEXT_PATTERN + "%ex");
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(bytes);
        appender.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
        return appender;
    }

    private static void awaitDelivered(List<String> delivered, String kind) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (delivered.stream().anyMatch(body -> body.contains("\"" + kind + "\""))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(kind + " not delivered to the webhook: " + delivered);
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
