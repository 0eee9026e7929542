package io.cellpipe.core.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/** Logs each alert when it starts (WARN for a warning, ERROR for a critical one) and when it ends (INFO). */
public final class LogAlertSink implements AlertSink {
    private static final Logger log = LoggerFactory.getLogger("io.cellpipe.alerts");

    @Override
    public void raised(Alert alert) {
        // key-value pairs too, so that a JSON log pipeline can route alerts without parsing the text
        with(alert, alert.severity() == Severity.CRITICAL ? log.atError() : log.atWarn()).log("ALERT {} [{}{}]: {}", alert.kind(),
                alert.severity().name().toLowerCase(Locale.ROOT), where(alert), alert.text());
    }

    @Override
    public void resolved(Alert alert, Instant resolvedAt) {
        with(alert, log.atInfo()).addKeyValue("resolved", true).log("RESOLVED {} [{}] after {}; it was: {}", alert.kind(),
                where(alert).isEmpty() ? "pipeline" : where(alert).substring(2), human(Duration.between(alert.since(), resolvedAt)),
                alert.text());
    }

    private static LoggingEventBuilder with(Alert alert, LoggingEventBuilder event) {
        return event.addKeyValue("alert", alert.kind().name()).addKeyValue("severity", alert.severity().name().toLowerCase(Locale.ROOT))
                .addKeyValue("cell", alert.cell()).addKeyValue("subject", alert.subject());
    }

    private static String where(Alert alert) {
        String where = alert.cell().isEmpty() ? "" : ", " + alert.cell();
        return alert.subject().isEmpty() ? where : where + " " + alert.subject();
    }

    /** {@code 42s}, {@code 5m12s}, {@code 3h04m}. */
    public static String human(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + String.format("%02d", seconds % 60) + "s";
        }
        return seconds / 3600 + "h" + String.format("%02d", seconds % 3600 / 60) + "m";
    }
}
