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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page as a person sees it: a real pipeline over an embedded cell serves it, headless
 * Chromium loads it and runs its script, and the rendered DOM shows the cell's row with its state
 * and numbers, the snapshot's progress and the history chart.
 */
class StatusPageIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void rendersEachCellWithItsNumbersInABrowser(@TempDir Path dir) throws Exception {
        Chromium chromium = Chromium.find();
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            cell.execute("CREATE TABLE public.accounts (id bigint PRIMARY KEY, name text NOT NULL)",
                    "INSERT INTO public.accounts SELECT g, 'account ' || g FROM generate_series(1, 500) g", "ANALYZE public.accounts");
            CapturedCells.createMarkerTable(cell);
            Map<String, String> cells = CapturedCells.cells("cell-1", cell.jdbcUrl());
            String yaml = CapturedCells.yaml(dir.resolve("w.duckdb"), cells, "[\"public.*\"]", "[]") + "monitoring:\n  listen: 127.0.0.1:0\n";
            PipelineConfig config = new ConfigLoader(System::getenv).parse("test.yml", yaml);
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                try (Alerts alerts = Assembly.alerts(config);
                        PipelineWatch watch = new PipelineWatch(config, pipeline, alerts, Duration.ofSeconds(1), config::cells);
                        MonitoringServer monitoring = Assembly.monitoring(config, pipeline, watch)) {
                    String base = "http://127.0.0.1:" + monitoring.port();
                    PipelineHarness.awaitStreaming(pipeline, "cell-1", TIMEOUT);
                    cell.execute("INSERT INTO public.accounts SELECT g, 'new ' || g FROM generate_series(501, 800) g");
                    CapturedCells.catchUp(pipeline, cells, TIMEOUT);
                    awaitStatus(base, node -> !node.path("slot_lag_bytes").isNull() && !node.path("changes_per_second").isNull());

                    Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
                    String dom = chromium.dumpDom(base + "/", Duration.ofSeconds(5), profile);

                    assertThat(dom).as("the script ran and loaded /status").contains("data-loaded=\"true\"");
                    assertThat(dom).contains("<tr data-cell=\"cell-1\" data-state=\"streaming\">");
                    String row = element(dom, "<tr data-cell=\"cell-1\" data-state=\"streaming\">", "</tr>");
                    assertThat(row).contains("<span class=\"badge streaming\">streaming</span>");
                    assertThat(cellText(row, "slot-lag")).matches("\\d+(\\.\\d)? (B|kB|MB|GB)");
                    assertThat(cellText(row, "lag")).matches("\\d+\\.\\d s");
                    assertThat(cellText(row, "freshness")).matches("\\d+\\.\\d s|\\d+m\\d\\ds");
                    assertThat(cellText(row, "rate")).matches("\\d+(\\.\\d)?");
                    assertThat(cellText(row, "applied")).matches("[\\d,]+").isNotEqualTo("0");
                    assertThat(dom).contains("no alerts firing");
                    String snapshot = element(dom, "<tr data-cell=\"cell-1\" data-table=\"public.accounts\">", "</tr>");
                    assertThat(snapshot).contains(">500<").contains("done");
                    assertThat(dom).containsPattern("<polyline [^>]*data-cell=\"cell-1\" points=\"[\\d.]+,[\\d.]+");
                    // for a person to look at after the build
                    chromium.screenshot(base + "/", Duration.ofSeconds(5), profile, Path.of("target", "status-page.png"));
                    assertThat(dom).as("no error banner").containsPattern("<div id=\"problem\"[^>]*></div>");
                }
            }
        }
    }

    private static String element(String dom, String start, String end) {
        int from = dom.indexOf(start);
        assertThat(from).as("%s in the rendered page:%n%s", start, dom).isNotNegative();
        return dom.substring(from, dom.indexOf(end, from) + end.length());
    }

    private static String cellText(String row, String cssClass) {
        Matcher matcher = Pattern.compile("<td class=\"num " + cssClass + "\"[^>]*>([^<]*)</td>").matcher(row);
        assertThat(matcher.find()).as("column %s in %s", cssClass, row).isTrue();
        return matcher.group(1);
    }

    private static void awaitStatus(String base, java.util.function.Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode cell;
        do {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/status")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            cell = new ObjectMapper().readTree(body).path("cells").get(0);
            if (condition.test(cell)) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("status never showed the condition: " + cell);
    }
}
