package io.cellpipe.core.privacy;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A secret for hashing one category of values: the key of an HMAC-SHA-256 (the default), or, in
 * compatibility mode, the salt of a plain salted SHA-256. The secret never leaves this class:
 * {@link #toString} and every message show only the {@link #fingerprint}.
 */
public final class HashKey {
    /** Shorter secrets are too easy to guess, and guessing one un-pseudonymizes every value hashed with it. */
    public static final int MIN_BYTES = 16;
    private static final String HMAC = "HmacSHA256";

    /** How a value is hashed with the secret; every result is 64 lower-case hex digits. */
    public enum Algorithm {
        /** HMAC-SHA-256 keyed with the secret. */
        HMAC_SHA256("hmac_sha256"),
        /** SHA-256 of the secret's bytes followed by the value's: for joining with data hashed that way. */
        SHA256_SALT_VALUE("sha256_salt_value"),
        /** SHA-256 of the value's bytes followed by the secret's. */
        SHA256_VALUE_SALT("sha256_value_salt");

        private final String configName;

        Algorithm(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        public static Algorithm parse(String text) {
            for (Algorithm algorithm : values()) {
                if (algorithm.configName.equals(text.trim())) {
                    return algorithm;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not a hash algorithm; use hmac_sha256, sha256_salt_value or sha256_value_salt");
        }
    }

    private final String category;
    private final Algorithm algorithm;
    private final SecretKeySpec secret;
    private final byte[] salt;
    private final String fingerprint;
    // Mac and MessageDigest are not thread-safe and snapshot workers hash concurrently; one per thread, created once.
    private final ThreadLocal<Mac> macs;
    private final ThreadLocal<MessageDigest> digests;

    private HashKey(String category, Algorithm algorithm, byte[] secret) {
        this.category = category;
        this.algorithm = algorithm;
        this.secret = algorithm == Algorithm.HMAC_SHA256 ? new SecretKeySpec(secret, HMAC) : null;
        this.salt = algorithm == Algorithm.HMAC_SHA256 ? null : secret.clone();
        this.fingerprint = fingerprintOf(secret);
        this.macs = ThreadLocal.withInitial(this::newMac);
        this.digests = ThreadLocal.withInitial(HashKey::sha256);
    }

    /** An HMAC-SHA-256 key; see {@link #of(String, String, Algorithm)}. */
    public static HashKey of(String category, String secret) {
        return of(category, secret, Algorithm.HMAC_SHA256);
    }

    /**
     * @param secret the key's text (from an environment variable or a key file), used as UTF-8 bytes;
     *     at least {@value #MIN_BYTES} bytes for HMAC-SHA-256, and not empty as the salt of a
     *     compatibility mode (whose strength is then the salt's, chosen elsewhere)
     * @throws IllegalArgumentException naming the category, never the secret, when it is too short
     */
    public static HashKey of(String category, String secret, Algorithm algorithm) {
        requireNonNull(category, "category is null");
        requireNonNull(secret, "secret is null");
        requireNonNull(algorithm, "algorithm is null");
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        int minimum = algorithm == Algorithm.HMAC_SHA256 ? MIN_BYTES : 1;
        if (bytes.length < minimum) {
            throw new IllegalArgumentException("privacy.keys." + category + " is " + bytes.length + " bytes long; a hash key needs at least "
                    + minimum + (algorithm == Algorithm.HMAC_SHA256 ? " (generate one with `openssl rand -hex 32`)" : ""));
        }
        try {
            return new HashKey(category, algorithm, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    public String category() {
        return category;
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    /** First 8 hex digits of the SHA-256 of the secret: tells keys apart in status output without revealing them. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The {@link #algorithm}'s hash of the UTF-8 bytes of {@code value}, as 64 lower-case hex digits. */
    public String hash(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(switch (algorithm) {
            case HMAC_SHA256 -> macs.get().doFinal(bytes);
            case SHA256_SALT_VALUE -> digest(salt, bytes);
            case SHA256_VALUE_SALT -> digest(bytes, salt);
        });
    }

    private byte[] digest(byte[] first, byte[] second) {
        MessageDigest digest = digests.get();
        digest.update(first);
        return digest.digest(second);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(secret);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot compute " + HMAC + ": " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no SHA-256: " + e.getMessage(), e);
        }
    }

    private static String fingerprintOf(byte[] secret) {
        return HexFormat.of().formatHex(sha256().digest(secret), 0, 4);
    }

    @Override
    public String toString() {
        return "HashKey[" + category + ", " + algorithm.configName() + ", fingerprint " + fingerprint + "]";
    }
}
