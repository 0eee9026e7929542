package io.cellpipe.postgres;

import io.cellpipe.core.privacy.TablePolicy;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Applies a table's column policies to tuples of PostgreSQL's binary {@code COPY}: the fields of
 * hashed and redacted columns, which the copy selects as their text, are read, transformed and
 * written again; every other field's bytes are passed on as they came. A tuple is a field count
 * (16 bits), then each field's length (32 bits, -1 for NULL) and bytes.
 */
final class BinaryPolicyRewriter {
    private final TablePolicy policy;
    private final int columns;
    private final boolean[] transformed;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    BinaryPolicyRewriter(TablePolicy policy) {
        this.policy = policy;
        this.columns = policy.schema().columns().size();
        this.transformed = new boolean[columns];
        for (int index = 0; index < columns; index++) {
            transformed[index] = !policy.keepsValue(index);
        }
    }

    /** The tuple at {@code offset} with its policies applied, as a new array. */
    byte[] rewrite(byte[] tuple, int offset, int length) {
        int end = offset + length;
        ByteBuffer fields = ByteBuffer.wrap(tuple);
        if (length < 2 || Short.toUnsignedInt(fields.getShort(offset)) != columns) {
            throw new IllegalStateException("a binary COPY tuple of the snapshot does not have the table's " + columns + " fields");
        }
        out.reset();
        int at = offset + 2;
        int written = offset;
        for (int column = 0; column < columns; column++) {
            if (at + 4 > end) {
                throw new IllegalStateException("a binary COPY tuple of the snapshot ends before field " + (column + 1) + " of " + columns);
            }
            int size = fields.getInt(at);
            int valueEnd = at + 4 + Math.max(size, 0);
            if (size < -1 || valueEnd > end) {
                throw new IllegalStateException("a binary COPY field of the snapshot of " + size + " bytes where " + (end - at - 4) + " remain");
            }
            if (transformed[column]) {
                out.write(tuple, written, at - written);
                String value = size < 0 ? null : new String(tuple, at + 4, size, StandardCharsets.UTF_8);
                writeField(policy.apply(column, value));
                written = valueEnd;
            }
            at = valueEnd;
        }
        if (at != end) {
            throw new IllegalStateException("a binary COPY tuple of the snapshot has " + (end - at) + " bytes after its last field");
        }
        out.write(tuple, written, end - written);
        return out.toByteArray();
    }

    private void writeField(String value) {
        if (value == null) {
            writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeInt(bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    private void writeInt(int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }
}
