package io.cellpipe.postgres;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The header that starts PostgreSQL's binary {@code COPY} output: an 11-byte signature, 32 bits
 * of flags (bit 16: OIDs included, never asked for here) and a header extension of the length its
 * 32 bits say, which readers skip.
 */
final class BinaryCopyHeader {
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

    private BinaryCopyHeader() {
    }

    /** The header's length at the start of {@code message}, the first {@code CopyData} message of a binary copy. */
    static int length(byte[] message) {
        if (message.length < 19 || !Arrays.equals(message, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new IllegalStateException("a binary COPY from PostgreSQL does not start with its signature");
        }
        ByteBuffer header = ByteBuffer.wrap(message);
        int flags = header.getInt(11);
        int extension = header.getInt(15);
        if ((flags & 1 << 16) != 0 || extension < 0 || 19L + extension > message.length) {
            throw new IllegalStateException("a binary COPY header from PostgreSQL with flags " + Integer.toHexString(flags)
                    + " and an extension of " + extension + " bytes, which cellpipe does not read");
        }
        return 19 + extension;
    }
}
