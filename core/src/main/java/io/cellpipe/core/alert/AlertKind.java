package io.cellpipe.core.alert;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A kind of alert: a stable name (used in metrics, the webhook and the docs) and its severity.
 * The kinds the pipeline raises itself are constants here; other code defines its own the same way,
 * e.g. {@code new AlertKind("sequence_saturation", Severity.WARNING)}.
 */
public record AlertKind(String name, Severity severity) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /** The warehouse is further behind a cell than {@code slo.freshness}. */
    public static final AlertKind FRESHNESS_SLO = new AlertKind("freshness_slo", Severity.CRITICAL);
    /** A cell's slot retains WAL close to {@code max_slot_wal_keep_size}, or is about to lose or has lost WAL. */
    public static final AlertKind SLOT_WAL_LIMIT = new AlertKind("slot_wal_limit", Severity.CRITICAL);
    /** A cell cannot be reached (or keeps failing) and is being retried. */
    public static final AlertKind CELL_UNREACHABLE = new AlertKind("cell_unreachable", Severity.CRITICAL);
    /** A cell's capture stopped on an error that needs an operator (no point in retrying as is). */
    public static final AlertKind CELL_FAILED = new AlertKind("cell_failed", Severity.CRITICAL);
    /** A table of a cell stopped loading on a change the warehouse cannot take. */
    public static final AlertKind TABLE_STOPPED = new AlertKind("table_stopped", Severity.CRITICAL);

    public AlertKind {
        requireNonNull(name, "name is null");
        requireNonNull(severity, "severity is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("alert kind '" + name + "' must be lower-case letters, digits and '_' (it is a metric label)");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
