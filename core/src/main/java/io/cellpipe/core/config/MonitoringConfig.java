package io.cellpipe.core.config;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where the HTTP endpoints ({@code /metrics}, {@code /health}, {@code /ready}, {@code /status})
 * listen. Port 0 picks a free port, which the running server reports.
 *
 * @param adminToken the bearer token an endpoint that changes state ({@code /resync}) requires; null
 *     turns such endpoints off. Never printed ({@link #toString}).
 */
public record MonitoringConfig(String host, int port, String adminToken) {
    /** Shortest admin token accepted, in bytes: long enough that it cannot be guessed. */
    public static final int MIN_TOKEN_BYTES = 16;

    public MonitoringConfig(String host, int port) {
        this(host, port, null);
    }

    public MonitoringConfig {
        requireNonNull(host, "host is null");
        if (host.isBlank()) {
            throw new IllegalArgumentException("monitoring.listen needs a host, e.g. 127.0.0.1:9187");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("monitoring.listen port must be between 0 and 65535, not " + port);
        }
        if (adminToken != null && adminToken.getBytes(StandardCharsets.UTF_8).length < MIN_TOKEN_BYTES) {
            throw new IllegalArgumentException("monitoring.admin_token must be at least " + MIN_TOKEN_BYTES
                    + " bytes long, e.g. from `openssl rand -hex 32`");
        }
    }

    public Optional<String> token() {
        return Optional.ofNullable(adminToken);
    }

    /** The same listener with an admin token. */
    public MonitoringConfig withAdminToken(String token) {
        return new MonitoringConfig(host, port, token);
    }

    @Override
    public String toString() {
        return "MonitoringConfig[host=" + host + ", port=" + port + ", adminToken=" + (adminToken == null ? "none" : "***") + "]";
    }

    /** Parses {@code host:port}; an IPv6 host is written in brackets, {@code [::1]:9187}. */
    public static MonitoringConfig parse(String listen) {
        requireNonNull(listen, "listen is null");
        int colon = listen.lastIndexOf(':');
        if (colon <= 0 || colon == listen.length() - 1) {
            throw new IllegalArgumentException("monitoring.listen must be host:port, e.g. 127.0.0.1:9187, not '" + listen + "'");
        }
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new MonitoringConfig(host, Integer.parseInt(listen.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("monitoring.listen must end in a port number, e.g. 127.0.0.1:9187, not '" + listen + "'");
        }
    }
}
