package io.cellpipe.core.alert;

import java.time.Instant;

/**
 * Where alerts go when they start and stop firing (a log, a webhook, ...). Called on the thread
 * that raised or resolved the alert, which may be the pipeline's: an implementation must return
 * at once and do slow work (network) elsewhere.
 */
public interface AlertSink {
    void raised(Alert alert);

    void resolved(Alert alert, Instant resolvedAt);
}
