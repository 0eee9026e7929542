package io.cellpipe.core.privacy;

import static java.util.Objects.requireNonNull;

/**
 * What a warehouse remembers about the key one category of values was hashed with: the algorithm
 * and the key's {@link HashKey#fingerprint}, never the key. Two equal fingerprints mean the same
 * value hashes the same.
 */
public record KeyFingerprint(String category, String algorithm, String fingerprint) {
    public KeyFingerprint {
        requireNonNull(category, "category is null");
        requireNonNull(algorithm, "algorithm is null");
        requireNonNull(fingerprint, "fingerprint is null");
    }

    public static KeyFingerprint of(HashKey key) {
        return new KeyFingerprint(key.category(), key.algorithm().configName(), key.fingerprint());
    }

    /** E.g. {@code hmac_sha256 key 2f44f5e8}. */
    public String describe() {
        return algorithm + " key " + fingerprint;
    }
}
