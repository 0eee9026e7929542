package io.cellpipe.core.spi;

import io.cellpipe.core.model.Change;

/** Maps a change to zero (returns {@code null}) or one change, before it is queued. */
@FunctionalInterface
public interface Transform {
    Change apply(Change change);
}
