package io.cellpipe.core.pipeline;

import java.time.Duration;

/**
 * Told about every batch the applier commits to the destination, e.g. to time them in a
 * histogram. Called on the applier's thread, so it must return at once.
 */
public interface BatchListener {
    BatchListener NONE = (took, transactions, changes) -> { };

    /** A batch of {@code transactions} holding {@code changes} was applied and committed in {@code took}. */
    void committed(Duration took, int transactions, long changes);
}
