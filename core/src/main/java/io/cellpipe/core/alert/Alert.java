package io.cellpipe.core.alert;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One firing alert. It is identified by its kind, cell and subject (a table, a sequence, ...);
 * raising the same one again only updates its text.
 *
 * @param cell the cell it is about, empty for the whole pipeline
 * @param subject what in the cell it is about (e.g. {@code public.users}), empty for the cell as a whole
 * @param text what is wrong and what to do, for a person; must never contain a secret
 * @param since when it was first raised
 */
public record Alert(AlertKind kind, String cell, String subject, String text, Instant since) {
    public Alert {
        requireNonNull(kind, "kind is null");
        cell = cell == null ? "" : cell;
        subject = subject == null ? "" : subject;
        requireNonNull(text, "text is null");
        requireNonNull(since, "since is null");
    }

    public Severity severity() {
        return kind.severity();
    }

    public Optional<String> table() {
        return subject.isEmpty() ? Optional.empty() : Optional.of(subject);
    }

    /** What identifies the alert among the firing ones. */
    public Key key() {
        return new Key(kind, cell, subject);
    }

    Alert withText(String newText) {
        return new Alert(kind, cell, subject, newText, since);
    }

    /** Kind, cell and subject: the identity of an alert. */
    public record Key(AlertKind kind, String cell, String subject) {
        public Key {
            requireNonNull(kind, "kind is null");
            cell = cell == null ? "" : cell;
            subject = subject == null ? "" : subject;
        }
    }
}
