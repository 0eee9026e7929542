package io.cellpipe.core.alert;

import io.cellpipe.core.config.Credentials;
import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * The alerts firing now. Any code may raise or resolve one with one call; each start and end is
 * told to every sink once (raising a firing alert again only updates its text). Thread-safe.
 * Closing it closes the sinks that need it (a webhook sends what it holds).
 */
public final class Alerts implements AutoCloseable {
    private final Clock clock;
    private final List<AlertSink> sinks = new CopyOnWriteArrayList<>();
    /** Guarded by this. */
    private final Map<Alert.Key, Alert> firing = new LinkedHashMap<>();

    public Alerts(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    public Alerts() {
        this(Clock.systemUTC());
    }

    public Alerts addSink(AlertSink sink) {
        sinks.add(requireNonNull(sink, "sink is null"));
        return this;
    }

    /** Raises an alert about a cell as a whole; see {@link #raise(AlertKind, String, String, String)}. */
    public void raise(AlertKind kind, String cell, String text) {
        raise(kind, cell, "", text);
    }

    /**
     * Raises an alert, or updates the text of the same one already firing.
     *
     * @param cell the cell, or empty for the whole pipeline
     * @param subject what in the cell (a table, a sequence), or empty
     * @param text what is wrong and what to do; never a secret
     */
    public void raise(AlertKind kind, String cell, String subject, String raw) {
        String text = Credentials.scrub(raw);
        Alert.Key key = new Alert.Key(kind, cell, subject);
        Alert raised;
        synchronized (this) {
            Alert current = firing.get(key);
            if (current != null) {
                firing.put(key, current.withText(text));
                return;
            }
            raised = new Alert(kind, cell, subject, text, clock.instant());
            firing.put(key, raised);
            // told under the lock so that sinks see raise and resolve of one alert in order
            sinks.forEach(sink -> sink.raised(raised));
        }
    }

    public void resolve(AlertKind kind, String cell) {
        resolve(kind, cell, "");
    }

    /** Resolves an alert if it is firing; otherwise does nothing. */
    public void resolve(AlertKind kind, String cell, String subject) {
        resolveWhere(alert -> alert.key().equals(new Alert.Key(kind, cell, subject)));
    }

    /** Resolves every firing alert the condition selects, e.g. those of a kind about a cell's tables that are no longer stopped. */
    public synchronized void resolveWhere(Predicate<Alert> condition) {
        Instant now = clock.instant();
        List<Alert> resolved = new ArrayList<>();
        firing.values().removeIf(alert -> condition.test(alert) && resolved.add(alert));
        for (Alert alert : resolved) {
            sinks.forEach(sink -> sink.resolved(alert, now));
        }
    }

    /** The firing alerts, critical first, then oldest first. */
    public synchronized List<Alert> firing() {
        List<Alert> alerts = new ArrayList<>(firing.values());
        alerts.sort(Comparator.comparing(Alert::severity).reversed().thenComparing(Alert::since));
        return alerts;
    }

    @Override
    public void close() {
        for (AlertSink sink : sinks) {
            if (sink instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LoggerFactory.getLogger(Alerts.class).warn("closing alert sink {} failed: {}", sink.getClass().getSimpleName(), e.toString());
                }
            }
        }
    }

    public synchronized boolean isFiring(AlertKind kind, String cell, String subject) {
        return firing.containsKey(new Alert.Key(kind, cell, subject));
    }
}
