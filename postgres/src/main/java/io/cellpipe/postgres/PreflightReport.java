package io.cellpipe.postgres;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** Every preflight check of one cell, in the order they were run. */
public record PreflightReport(String cellId, List<CheckResult> results) {
    public PreflightReport {
        requireNonNull(cellId, "cellId is null");
        results = List.copyOf(results);
    }

    /** Whether any check failed: capture of this cell cannot start. */
    public boolean failed() {
        return results.stream().anyMatch(result -> result.outcome() == CheckResult.Outcome.FAIL);
    }

    public long count(CheckResult.Outcome outcome) {
        return results.stream().filter(result -> result.outcome() == outcome).count();
    }
}
