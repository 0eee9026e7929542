package io.cellpipe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.cellpipe.core.config.MonitoringConfig;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.model.KeyRange;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.Resync;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /resync} of a running pipeline: {@code POST} a request (JSON {@code cell}, optional
 * {@code table}, {@code from_key} and {@code to_key} as arrays of values, {@code chunk_rows}), which the cell's capture picks up while it
 * streams; {@code GET} lists every resync with its progress. This is how {@code cellpipe resync}
 * reaches a pipeline that holds the warehouse open. Both need the admin token ({@link AdminGuard}):
 * a request starts work on a cell, and the list shows key bounds.
 */
final class ResyncEndpoint implements HttpHandler {
    private final Destination destination;
    private final PipelineConfig config;
    private final AdminGuard guard;
    private final ObjectMapper json = new ObjectMapper();

    ResyncEndpoint(Destination destination, PipelineConfig config) {
        this.destination = destination;
        this.config = config;
        this.guard = new AdminGuard(config.monitoring().flatMap(MonitoringConfig::token));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Optional<AdminGuard.Refusal> refusal = guard.refusal(exchange, exchange.getRequestMethod().equals("POST"));
            if (refusal.isPresent()) {
                respond(exchange, refusal.get().status(), error(refusal.get().message()));
                return;
            }
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
        Optional<byte[]> bytes = AdminGuard.body(exchange);
        if (bytes.isEmpty()) {
            respond(exchange, 413, error("the request body is over " + AdminGuard.MAX_BODY_BYTES + " bytes"));
            return;
        }
        Resync request;
        try {
            JsonNode body = json.readTree(bytes.get());
            if (body == null || !body.isObject() || body.has("where")) {
                throw new IllegalArgumentException(body != null && body.has("where")
                        ? "where is not accepted: a resync takes a key range, from_key and to_key" : "the request must be a JSON object");
            }
            request = ResyncCommand.request(config, text(body, "cell"), text(body, "table"),
                    KeyRange.readFrom(body),
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
            if (resync.range() != null) {
                resync.range().writeTo(node);
            }
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
