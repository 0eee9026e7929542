package io.cellpipe.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.cellpipe.core.config.LoggingConfig;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * Switches the console log between text lines (logback.xml's pattern) and one JSON object per
 * line ({@code logging.format: json}), once the configuration file is read. Events logged before
 * that (nothing but start-up errors) are text.
 */
final class LogFormat {
    static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n";

    private LogFormat() {
    }

    static void apply(LoggingConfig logging) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: its own configuration decides
        }
        Iterator<Appender<ILoggingEvent>> appenders = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        while (appenders.hasNext()) {
            if (appenders.next() instanceof ConsoleAppender<ILoggingEvent> console) {
                boolean json = console.getEncoder() instanceof JsonEncoder;
                if (json != (logging.format() == LoggingConfig.Format.JSON)) {
                    switchEncoder(context, console, logging.format());
                }
            }
        }
    }

    private static void switchEncoder(LoggerContext context, ConsoleAppender<ILoggingEvent> console, LoggingConfig.Format format) {
        Encoder<ILoggingEvent> encoder;
        if (format == LoggingConfig.Format.JSON) {
            JsonEncoder json = new ScrubbedLog.Json();
            // one line per event with what a log pipeline needs; no per-event sequence or nanoseconds noise
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithArguments(false);
            json.setWithMessage(false);
            json.setWithFormattedMessage(true);
            encoder = json;
        } else {
            PatternLayoutEncoder text = new ScrubbedLog.Text();
            text.setPattern(TEXT_PATTERN);
            encoder = text;
        }
        encoder.setContext(context);
        encoder.start();
        console.stop();
        console.setEncoder(encoder);
        console.start();
    }

    /** For tests: the root logger, to check the switch. */
    static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
