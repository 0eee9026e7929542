package io.cellpipe.postgres;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.config.Credentials;

/**
 * One preflight check of one cell: what was checked, how it came out, what was found, and the
 * exact fix (SQL or a setting) when it did not pass.
 */
public record CheckResult(String check, Outcome outcome, String detail, String fix) {
    public enum Outcome {
        PASS,
        /** Capture works, but something will hurt later (a table that will reject UPDATE, unbounded WAL). */
        WARN,
        /** Capture cannot start until this is fixed. */
        FAIL
    }

    public CheckResult {
        requireNonNull(check, "check is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(fix, "fix is null");
        // a driver's error can quote the connection URL
        detail = Credentials.scrub(detail);
    }

    static CheckResult pass(String check, String detail) {
        return new CheckResult(check, Outcome.PASS, detail, "");
    }

    static CheckResult warn(String check, String detail, String fix) {
        return new CheckResult(check, Outcome.WARN, detail, fix);
    }

    static CheckResult fail(String check, String detail, String fix) {
        return new CheckResult(check, Outcome.FAIL, detail, fix);
    }
}
