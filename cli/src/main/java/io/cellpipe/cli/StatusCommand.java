package io.cellpipe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.MonitoringConfig;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.spi.CellCheckpoint;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.duckdb.DuckDbOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Shows each cell's state: live from the running pipeline's {@code /status} when it answers on
 * {@code monitoring.listen}, else from the warehouse's checkpoints (which a running pipeline keeps
 * locked: DuckDB lets one process open a file).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each cell's state, from the running pipeline (monitoring.listen) or else from the warehouse.")
final class StatusCommand implements Callable<Integer> {
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);

    @Option(names = "--config", required = true, description = "Pipeline configuration (YAML).")
    Path config;

    @Spec
    CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() throws InterruptedException {
        PipelineConfig pipelineConfig = new ConfigLoader(System::getenv).load(config);
        LogFormat.apply(pipelineConfig.logging());
        out = spec.commandLine().getOut();
        Optional<JsonNode> live = pipelineConfig.monitoring().flatMap(this::fetchStatus);
        if (live.isPresent()) {
            printLive(live.get());
            return 0;
        }
        return printFromWarehouse(pipelineConfig);
    }

    private Optional<JsonNode> fetchStatus(MonitoringConfig listen) {
        if (listen.port() == 0) {
            out.println("status: monitoring.listen has port 0 (picked at start), so the running pipeline cannot be asked; reading the warehouse");
            return Optional.empty();
        }
        String host = switch (listen.host()) {
            case "0.0.0.0", "::", "*" -> "127.0.0.1";
            default -> listen.host().contains(":") ? "[" + listen.host() + "]" : listen.host();
        };
        URI uri = URI.create("http://" + host + ":" + listen.port() + "/status");
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                out.println("status: " + uri + " answered " + response.statusCode() + "; reading the warehouse");
                return Optional.empty();
            }
            return Optional.of(new ObjectMapper().readTree(response.body()));
        } catch (ConnectException e) {
            out.println("status: no pipeline answers on " + uri + "; reading the warehouse");
            return Optional.empty();
        } catch (IOException e) {
            out.println("status: asking " + uri + " failed (" + e + "); reading the warehouse");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void printLive(JsonNode status) {
        out.println("status: pipeline " + status.path("pipeline").asText() + " is running; " + status.path("queue_transactions").asLong()
                + " transactions queued, " + status.path("batches").asLong() + " batches applied");
        TextTable table = new TextTable("CELL", "STATE", "LAG", "FRESHNESS", "CHANGES", "APPLIED LSN", "SLOT LAG", "STOPPED TABLES",
                "DETAIL");
        for (JsonNode cell : status.path("cells")) {
            String state = cell.path("state").asText();
            String detail = cell.path("last_error").isNull() || "streaming".equals(state) ? cell.path("detail").asText()
                    : "attempt " + cell.path("attempts").asInt() + ": " + cell.path("last_error").asText();
            table.add(cell.path("cell").asText(), state, String.format(Locale.ROOT, "%.1fs", cell.path("lag_seconds").asDouble()),
                    cell.path("freshness_seconds").isNumber() ? String.format(Locale.ROOT, "%.1fs", cell.path("freshness_seconds").asDouble()) : "-",
                    cell.path("changes_applied").asText(), cell.path("applied_lsn").asText(),
                    cell.path("slot_lag_bytes").isNull() ? "-" : cell.path("slot_lag_bytes").asText() + " B",
                    String.join(", ", iterable(cell.path("stopped_tables").fieldNames())), detail);
        }
        table.print(out);
        JsonNode alerts = status.path("alerts");
        if (alerts.isEmpty()) {
            out.println("alerts: none firing");
            return;
        }
        out.println("alerts: " + alerts.size() + " firing");
        for (JsonNode alert : alerts) {
            out.println("  " + alert.path("severity").asText().toUpperCase(Locale.ROOT) + " " + alert.path("kind").asText() + " since "
                    + alert.path("since").asText() + ": " + alert.path("text").asText());
        }
    }

    private int printFromWarehouse(PipelineConfig config) {
        if ("duckdb".equals(config.destination().type())) {
            Path path = DuckDbOptions.from(config.destination().options()).path();
            if (!Files.exists(path)) {
                out.println("status: the warehouse " + path + " does not exist yet: the pipeline has not run");
                return 1;
            }
        }
        Map<String, CellCheckpoint> checkpoints;
        Map<String, Map<String, String>> stopped;
        try (Destination destination = Assembly.destination(config.destination())) {
            checkpoints = destination.checkpoints();
            stopped = destination.stoppedTables();
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("lock")) {
                out.println("status: the warehouse is open in another process, most likely the running pipeline (DuckDB allows one"
                        + " process per file). Set monitoring.listen in the configuration to ask the running pipeline instead. ("
                        + e.getMessage() + ")");
                return 1;
            }
            throw e;
        }
        out.println("status: from the warehouse's checkpoints (the pipeline is not answering)");
        TextTable table = new TextTable("CELL", "CHECKPOINT LSN", "COMMIT TIME", "STOPPED TABLES");
        config.cells().forEach(cell -> {
            CellCheckpoint checkpoint = checkpoints.get(cell.id());
            table.add(cell.id(), checkpoint == null ? "none (no snapshot completed)" : checkpoint.lsn().toString(),
                    checkpoint == null ? "-" : checkpoint.commitTime().toString(),
                    String.join(", ", stopped.getOrDefault(cell.id(), Map.of()).keySet()));
        });
        table.print(out);
        return 0;
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        return () -> iterator;
    }
}
