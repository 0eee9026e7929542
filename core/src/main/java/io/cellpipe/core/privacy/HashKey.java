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
 * A secret for keyed hashing (HMAC-SHA-256) of one category of values. The secret never leaves
 * this class: {@link #toString} and every message show only the {@link #fingerprint}.
 */
public final class HashKey {
    /** Shorter secrets are too easy to guess, and guessing one un-pseudonymizes every value hashed with it. */
    public static final int MIN_BYTES = 16;
    private static final String ALGORITHM = "HmacSHA256";

    private final String category;
    private final SecretKeySpec secret;
    private final String fingerprint;
    // Mac is not thread-safe and snapshot workers hash concurrently; one per thread, created once.
    private final ThreadLocal<Mac> macs;

    private HashKey(String category, byte[] secret) {
        this.category = category;
        this.secret = new SecretKeySpec(secret, ALGORITHM);
        this.fingerprint = fingerprintOf(secret);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /**
     * @param secret the key's text (from an environment variable or a key file), used as UTF-8 bytes
     * @throws IllegalArgumentException naming the category, never the secret, when it is too short
     */
    public static HashKey of(String category, String secret) {
        requireNonNull(category, "category is null");
        requireNonNull(secret, "secret is null");
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException("privacy.keys." + category + " is " + bytes.length + " bytes long; a hash key needs at least "
                    + MIN_BYTES + " (generate one with `openssl rand -hex 32`)");
        }
        try {
            return new HashKey(category, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    public String category() {
        return category;
    }

    /** First 8 hex digits of the SHA-256 of the secret: tells keys apart in status output without revealing them. */
    public String fingerprint() {
        return fingerprint;
    }

    /** HMAC-SHA-256 of the UTF-8 bytes of {@code value}, as 64 lower-case hex digits. */
    public String hash(String value) {
        Mac mac = macs.get();
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot compute " + ALGORITHM + ": " + e.getMessage(), e);
        }
    }

    private static String fingerprintOf(byte[] secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no SHA-256: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "HashKey[" + category + ", fingerprint " + fingerprint + "]";
    }
}
