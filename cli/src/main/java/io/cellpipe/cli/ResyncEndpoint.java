package io.cellpipe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.Resync;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * {@code /resync} of a running pipeline: {@code POST} a request (JSON {@code cell}, optional
 * {@code table}, {@code where}, {@code chunk_rows}), which the cell's capture picks up while it
 * streams; {@code GET} lists every resync with its progress. This is how {@code cellpipe resync}
 * reaches a pipeline that holds the warehouse open.
 */
final class ResyncEndpoint implements HttpHandler {
    private final Destination destination;
    private final PipelineConfig config;
    private final ObjectMapper json = new ObjectMapper();

    ResyncEndpoint(Destination destination, PipelineConfig config) {
        this.destination = destination;
        this.config = config;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            switch (exchange.getRequestMethod()) {
                case "GET" -> respond(exchange, 200, list(destination.resyncs()));
                case "POST" -> post(exchange);
                default -> {
                    exchange.getResponseHeaders().set("Allow", "GET, POST");
                    exchange.sendResponseHeaders(405, -1);
                }
            }
        }
    }

    private void post(HttpExchange exchange) throws IOException {
        Resync request;
        try {
            JsonNode body = json.readTree(exchange.getRequestBody());
            request = ResyncCommand.request(config, text(body, "cell"), text(body, "table"), text(body, "where"),
                    body.path("chunk_rows").asInt(ResyncCommand.DEFAULT_CHUNK_ROWS));
        } catch (IOException | IllegalArgumentException e) {
            respond(exchange, 400, error(e.getMessage()));
            return;
        }
        try {
            destination.requestResync(request);
        } catch (RuntimeException e) {
            respond(exchange, 400, error(e.getMessage()));
            return;
        }
        respond(exchange, 202, list(List.of(request)));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body == null ? null : body.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private String error(String message) {
        ObjectNode error = json.createObjectNode();
        error.put("error", message);
        return error.toString();
    }

    private String list(List<Resync> resyncs) {
        ArrayNode list = json.createArrayNode();
        for (Resync resync : resyncs) {
            ObjectNode node = list.addObject();
            node.put("id", resync.id());
            node.put("cell", resync.cellId());
            node.put("table", resync.table());
            node.put("where", resync.where());
            node.put("chunk_rows", resync.chunkRows());
            node.put("state", resync.state().name().toLowerCase(Locale.ROOT));
            node.put("rows_done", resync.rowsDone());
            node.put("requested_at", resync.requestedAt().toString());
            node.put("updated_at", resync.updatedAt().toString());
            node.put("detail", resync.detail());
        }
        return list.toString();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
