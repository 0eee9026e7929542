package io.cellpipe.cli;

import io.cellpipe.core.config.ConfigException;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.privacy.HashKey;
import io.cellpipe.core.privacy.KeyFingerprint;
import io.cellpipe.core.spi.Destination;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a warehouse's hashes joinable: the warehouse records each key category's fingerprint the
 * first time it is used, and a start with a different key (or algorithm) for a recorded category
 * is refused, since new values would no longer hash like the ones loaded, unless a re-hash is
 * requested, which re-copies every cell with the new keys.
 */
final class HashKeyGuard {
    private static final Logger log = LoggerFactory.getLogger(HashKeyGuard.class);

    private HashKeyGuard() {
    }

    /**
     * Compares the configured keys with the warehouse's and records the configured ones.
     *
     * @param rehash whether the user asked to re-hash the warehouse with the configured keys
     * @return the cells to copy again because their rows were hashed with other keys (empty unless {@code rehash})
     * @throws ConfigException naming each changed category and both fingerprints, when keys changed and {@code rehash} is false
     */
    static List<String> check(PipelineConfig config, Destination destination, boolean rehash) {
        Map<String, KeyFingerprint> recorded = destination.hashKeys();
        List<KeyFingerprint> configured = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (HashKey key : config.privacy().keys().values()) {
            KeyFingerprint now = KeyFingerprint.of(key);
            configured.add(now);
            KeyFingerprint before = recorded.get(key.category());
            if (before != null && !before.equals(now)) {
                changed.add("category '" + key.category() + "': the warehouse was hashed with " + before.describe()
                        + ", the configuration (privacy.keys." + key.category() + ") has " + now.describe());
            }
        }
        if (!changed.isEmpty() && !rehash) {
            throw new ConfigException("the hash keys differ from the ones the warehouse's values were hashed with; values hashed now would"
                    + " not join with those already loaded. " + String.join("; ", changed) + ". If the configuration picked up the wrong"
                    + " key (an environment variable or key file), fix it. If the key was changed on purpose, run `cellpipe run --rehash`"
                    + " once: it records the new keys and copies every cell again (see docs/configuration.md, Changing a key)");
        }
        destination.recordHashKeys(configured);
        if (changed.isEmpty()) {
            return List.of();
        }
        List<String> cells = config.cells().stream().map(cell -> cell.id()).toList();
        log.warn("re-hashing with new keys ({}); copying cells {} again", String.join("; ", changed), cells);
        return cells;
    }
}
