package io.cellpipe.core.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Where alerts are POSTed as JSON. The URL and headers may hold credentials (a token in the path,
 * an Authorization header), so {@link #toString} and {@link #safeUrl} show neither.
 *
 * @param headers sent with every request, e.g. {@code Authorization}
 * @param timeout for one request
 * @param maxAttempts tries per notification before it is given up (and logged)
 */
public record WebhookConfig(URI url, Map<String, String> headers, Duration timeout, int maxAttempts) {
    public WebhookConfig {
        requireNonNull(url, "url is null");
        headers = Map.copyOf(headers);
        requireNonNull(timeout, "timeout is null");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("alerts.webhook.url must be an http:// or https:// URL with a host");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("alerts.webhook.timeout must be positive");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("alerts.webhook.max_attempts must be at least 1");
        }
    }

    /** Scheme, host and port only: safe to log. */
    public String safeUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/...";
    }

    @Override
    public String toString() {
        return "WebhookConfig[" + safeUrl() + ", " + headers.size() + " headers, timeout " + timeout + ", " + maxAttempts + " attempts]";
    }
}
