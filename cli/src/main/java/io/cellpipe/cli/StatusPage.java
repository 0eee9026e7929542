package io.cellpipe.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The status page served at {@code /}: one self-contained HTML file (styles and script inline, no
 * external resources) that polls {@code /status} and {@code /history}.
 */
final class StatusPage {
    private static final String TEMPLATE = load();

    private StatusPage() {
    }

    static String html(String pipeline, Duration freshnessObjective) {
        return TEMPLATE.replace("{{pipeline}}", escape(pipeline))
                .replace("{{freshness_seconds}}", String.valueOf(freshnessObjective.toSeconds()));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String load() {
        try (InputStream in = StatusPage.class.getResourceAsStream("status.html")) {
            if (in == null) {
                throw new IllegalStateException("status.html is missing from the cellpipe jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
