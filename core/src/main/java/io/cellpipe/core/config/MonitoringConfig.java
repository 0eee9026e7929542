package io.cellpipe.core.config;

import static java.util.Objects.requireNonNull;

/**
 * Where the HTTP endpoints ({@code /metrics}, {@code /health}, {@code /ready}, {@code /status})
 * listen. Port 0 picks a free port, which the running server reports.
 */
public record MonitoringConfig(String host, int port) {
    public MonitoringConfig {
        requireNonNull(host, "host is null");
        if (host.isBlank()) {
            throw new IllegalArgumentException("monitoring.listen needs a host, e.g. 127.0.0.1:9187");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("monitoring.listen port must be between 0 and 65535, not " + port);
        }
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
