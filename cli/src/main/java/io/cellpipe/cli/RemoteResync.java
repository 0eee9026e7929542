package io.cellpipe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cellpipe.core.config.MonitoringConfig;
import io.cellpipe.core.model.KeyRange;
import io.cellpipe.core.spi.Resync;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Hands a resync to the running pipeline at {@code monitoring.listen} and follows it there. */
final class RemoteResync {
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    private final URI endpoint;
    private final String token;
    private final PrintWriter out;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();

    RemoteResync(MonitoringConfig listen, PrintWriter out) {
        String host = listen.host().contains(":") ? "[" + listen.host() + "]" : listen.host();
        this.endpoint = URI.create("http://" + host + ":" + listen.port() + "/resync");
        this.token = listen.token().orElse(null);
        this.out = out;
    }

    private HttpRequest.Builder request() {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(HTTP_TIMEOUT);
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    /** The exit code once followed to its end; empty when no pipeline answers (then the caller runs one). */
    Optional<Integer> run(Resync request, Duration timeout) throws InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.put("cell", request.cellId());
        body.put("table", request.everyTable() ? null : request.table());
        if (request.range() != null) {
            request.range().writeTo(body);
        }
        body.put("chunk_rows", request.chunkRows());
        HttpResponse<String> response;
        try {
            response = client.send(request().header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            return Optional.empty();
        } catch (IOException e) {
            out.println("resync: the pipeline at " + endpoint + " did not answer: " + e.getMessage());
            return Optional.of(1);
        }
        if (response.statusCode() != 202) {
            out.println("resync: the pipeline at " + endpoint + " refused the request (" + response.statusCode() + "): " + response.body().strip());
            if (response.statusCode() == 403 && token == null) {
                out.println("resync: set monitoring.admin_token in the configuration of both the pipeline and this command");
            }
            out.flush();
            return Optional.of(response.statusCode() == 404 ? 1 : Main.CONFIG_ERROR);
        }
        List<Resync> accepted = parse(response.body());
        out.println("resync: handed to the running pipeline at " + endpoint + " (" + accepted.get(0).id() + ")");
        out.flush();
        return Optional.of(new ResyncWatch(out).await(accepted, this::list, timeout));
    }

    private List<Resync> list() {
        try {
            HttpResponse<String> response = client.send(request().GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return parse(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("resync: lost the pipeline at " + endpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private List<Resync> parse(String body) {
        try {
            List<Resync> resyncs = new ArrayList<>();
            for (JsonNode node : json.readTree(body)) {
                resyncs.add(new Resync(node.get("id").asText(), node.get("cell").asText(), node.get("table").asText(),
                        KeyRange.readFrom(node),
                        node.path("chunk_rows").asInt(1), Resync.State.valueOf(node.get("state").asText().toUpperCase(Locale.ROOT)), null, null,
                        node.path("rows_done").asLong(), Instant.parse(node.get("requested_at").asText()),
                        Instant.parse(node.get("updated_at").asText()), text(node, "detail")));
            }
            return resyncs;
        } catch (IOException e) {
            throw new IllegalStateException("resync: the pipeline at " + endpoint + " answered something else than a list of resyncs", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
