package io.cellpipe.cli;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may call an endpoint that changes state: a client that presents {@code monitoring.admin_token}
 * as {@code Authorization: Bearer <token>}, sends JSON ({@code Content-Type: application/json}, which a
 * page cannot send to another site without the browser asking first), carries no {@code Origin} (a
 * browser always sends one; {@code cellpipe} never does) and a small body. Without a configured token
 * such endpoints are off.
 */
final class AdminGuard {
    /** Largest request body accepted, in bytes; a resync request is a few hundred. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    /** Why a request is refused: the HTTP status and a message that says what to do. */
    record Refusal(int status, String message) {
    }

    /** SHA-256 of the token, compared in constant time with that of the presented one; null when off. */
    private final byte[] tokenDigest;

    AdminGuard(Optional<String> token) {
        this.tokenDigest = token.map(AdminGuard::digest).orElse(null);
    }

    /** Why {@code exchange} may not go on, or empty when it may; {@code withBody}: the request must carry JSON. */
    Optional<Refusal> refusal(HttpExchange exchange, boolean withBody) {
        if (tokenDigest == null) {
            return Optional.of(new Refusal(403, exchange.getRequestURI().getPath()
                    + " is off: set monitoring.admin_token (e.g. ${CELLPIPE_ADMIN_TOKEN}) to allow requests that change state"));
        }
        if (exchange.getRequestHeaders().containsKey("Origin")) {
            return Optional.of(new Refusal(403, "requests from a web page are refused; use cellpipe resync"));
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || !MessageDigest.isEqual(tokenDigest, digest(authorization.substring(7).strip()))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            return Optional.of(new Refusal(401, "a valid monitoring.admin_token is required (Authorization: Bearer <token>)"));
        }
        if (withBody) {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.toLowerCase(Locale.ROOT).strip().matches("application/json\\s*(;.*)?")) {
                return Optional.of(new Refusal(415, "the request body must be JSON (Content-Type: application/json)"));
            }
            String length = exchange.getRequestHeaders().getFirst("Content-Length");
            if (length != null && !length.strip().matches("\\d{1,5}") || length != null && Integer.parseInt(length.strip()) > MAX_BODY_BYTES) {
                return Optional.of(new Refusal(413, "the request body is over " + MAX_BODY_BYTES + " bytes"));
            }
        }
        return Optional.empty();
    }

    /** The request body, read up to the limit; empty when it is longer (chunked bodies give no length up front). */
    static Optional<byte[]> body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            return body.length > MAX_BODY_BYTES ? Optional.empty() : Optional.of(body);
        }
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
