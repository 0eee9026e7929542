package io.cellpipe.cli;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.cellpipe.core.config.Credentials;
import java.nio.charset.StandardCharsets;

/**
 * The console log's encoders, with every credential taken out of each encoded event (message and
 * stack trace alike): a library's error, PgJDBC's "Unable to parse URL" among them, can quote a
 * connection URL with its password.
 */
final class ScrubbedLog {
    private ScrubbedLog() {
    }

    static byte[] scrub(byte[] encoded) {
        String text = new String(encoded, StandardCharsets.UTF_8);
        String scrubbed = Credentials.scrub(text);
        return scrubbed == text ? encoded : scrubbed.getBytes(StandardCharsets.UTF_8);
    }

    /** Text lines (logback.xml's pattern). */
    public static final class Text extends PatternLayoutEncoder {
        @Override
        public byte[] encode(ILoggingEvent event) {
            return scrub(super.encode(event));
        }
    }

    /** One JSON object per line ({@code logging.format: json}). */
    public static final class Json extends JsonEncoder {
        @Override
        public byte[] encode(ILoggingEvent event) {
            return scrub(super.encode(event));
        }
    }
}
