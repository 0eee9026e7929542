package io.cellpipe.core.alert;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cellpipe.core.config.WebhookConfig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each alert's start and end as JSON to a webhook, from a thread of its own: raising an alert
 * only queues it, so a slow or failing endpoint never holds up the pipeline. A failed request
 * (no answer, or a status other than 2xx) is retried with backoff doubling up to a minute, up to
 * {@code max_attempts}; notifications are sent one at a time, in order. Logs name the endpoint by
 * scheme and host only, since the URL and headers may hold credentials.
 */
public final class WebhookAlertSink implements AlertSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookAlertSink.class);
    private static final int QUEUE_CAPACITY = 1000;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    private static final Duration DRAIN_ON_CLOSE = Duration.ofSeconds(5);

    private final WebhookConfig config;
    private final String pipeline;
    private final Duration initialBackoff;
    private final HttpClient client;
    private final ObjectMapper json = new ObjectMapper();
    private final BlockingQueue<String> pending = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread sender;
    private volatile boolean sending;
    private volatile boolean closed;

    public WebhookAlertSink(WebhookConfig config, String pipeline) {
        this(config, pipeline, Duration.ofSeconds(1));
    }

    /** @param initialBackoff wait after the first failed attempt; doubles with each further one */
    public WebhookAlertSink(WebhookConfig config, String pipeline, Duration initialBackoff) {
        this.config = requireNonNull(config, "config is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.initialBackoff = requireNonNull(initialBackoff, "initialBackoff is null");
        this.client = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
        this.sender = Thread.ofVirtual().name("alert-webhook").start(this::sendUntilClosed);
    }

    @Override
    public void raised(Alert alert) {
        enqueue(payload(alert, "firing", null));
    }

    @Override
    public void resolved(Alert alert, Instant resolvedAt) {
        enqueue(payload(alert, "resolved", resolvedAt));
    }

    private String payload(Alert alert, String status, Instant resolvedAt) {
        ObjectNode body = json.createObjectNode();
        body.put("pipeline", pipeline);
        body.put("status", status);
        body.put("kind", alert.kind().name());
        body.put("severity", alert.severity().name().toLowerCase(Locale.ROOT));
        body.put("cell", alert.cell());
        body.put("subject", alert.subject());
        body.put("text", alert.text());
        body.put("since", alert.since().toString());
        body.put("resolved_at", resolvedAt == null ? null : resolvedAt.toString());
        return body.toString();
    }

    private void enqueue(String body) {
        if (closed || !pending.offer(body)) {
            log.warn("alert webhook {}: {} notifications are waiting to be sent; this one is dropped (it is in the log)",
                    config.safeUrl(), pending.size());
        }
    }

    private void sendUntilClosed() {
        try {
            while (!closed || !pending.isEmpty()) {
                String body = pending.poll(200, TimeUnit.MILLISECONDS);
                if (body != null) {
                    sending = true;
                    try {
                        send(body);
                    } finally {
                        sending = false;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(String body) throws InterruptedException {
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            String failure = attempt(body);
            if (failure == null) {
                if (attempt > 1) {
                    log.info("alert webhook {}: delivered on attempt {}", config.safeUrl(), attempt);
                }
                return;
            }
            if (attempt >= config.maxAttempts()) {
                log.error("alert webhook {}: giving up on a notification after {} attempts ({}); the alert is in this log and in"
                        + " /status", config.safeUrl(), attempt, failure);
                return;
            }
            log.warn("alert webhook {}: attempt {} of {} failed ({}); retrying in {} ms", config.safeUrl(), attempt, config.maxAttempts(),
                    failure, backoff.toMillis());
            Thread.sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** Sends once; returns null on success, else what went wrong. */
    private String attempt(String body) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(config.url()).timeout(config.timeout())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        config.headers().forEach(request::header);
        try {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
        } catch (IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }

    /** Whether nothing is queued or being sent (for tests and orderly shutdown). */
    public boolean idle() {
        return pending.isEmpty() && !sending;
    }

    /** Sends what is queued for a few seconds more, then stops. */
    @Override
    public void close() {
        closed = true;
        try {
            if (!sender.join(DRAIN_ON_CLOSE)) {
                sender.interrupt();
                log.warn("alert webhook {}: {} notifications not sent at shutdown", config.safeUrl(), pending.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
