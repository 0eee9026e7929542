package io.cellpipe.postgres;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.RowImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes pgoutput messages (protocol versions 1 to 4, text mode). Stateless but for whether it
 * is inside a streamed-transaction block, where change messages carry the (sub)transaction id.
 * See PostgreSQL's "Logical Replication Message Formats".
 */
final class PgoutputDecoder {
    /** Microseconds between the Unix epoch and PostgreSQL's epoch, 2000-01-01. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private boolean inStreamBlock;

    PgoutputMessage decode(ByteBuffer buffer) {
        char tag = (char) buffer.get();
        return switch (tag) {
            case 'B' -> new PgoutputMessage.Begin(lsn(buffer), timestamp(buffer), unsignedInt(buffer));
            case 'C' -> {
                buffer.get(); // flags, unused
                yield new PgoutputMessage.Commit(lsn(buffer), lsn(buffer), timestamp(buffer));
            }
            case 'R' -> relation(buffer);
            case 'I' -> {
                long xid = streamXid(buffer);
                int relation = buffer.getInt();
                expect(buffer, 'N');
                yield new PgoutputMessage.Insert(xid, relation, tuple(buffer));
            }
            case 'U' -> update(buffer);
            case 'D' -> {
                long xid = streamXid(buffer);
                int relation = buffer.getInt();
                buffer.get(); // 'K' (key) or 'O' (old row)
                yield new PgoutputMessage.Delete(xid, relation, tuple(buffer));
            }
            case 'T' -> truncate(buffer);
            case 'M' -> message(buffer);
            case 'S' -> {
                inStreamBlock = true;
                yield new PgoutputMessage.StreamStart(unsignedInt(buffer), buffer.get() == 1);
            }
            case 'E' -> {
                inStreamBlock = false;
                yield new PgoutputMessage.StreamStop();
            }
            case 'c' -> {
                long xid = unsignedInt(buffer);
                buffer.get(); // flags, unused
                yield new PgoutputMessage.StreamCommit(xid, lsn(buffer), lsn(buffer), timestamp(buffer));
            }
            // v4 with parallel streaming appends the abort LSN and time; we do not ask for it.
            case 'A' -> new PgoutputMessage.StreamAbort(unsignedInt(buffer), unsignedInt(buffer));
            default -> new PgoutputMessage.Ignored(tag);
        };
    }

    private PgoutputMessage relation(ByteBuffer buffer) {
        long xid = streamXid(buffer);
        int relationId = buffer.getInt();
        String namespace = string(buffer);
        String name = string(buffer);
        char replicaIdentity = (char) buffer.get();
        int count = buffer.getShort();
        List<PgoutputMessage.RelationColumn> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean identity = (buffer.get() & 1) != 0;
            columns.add(new PgoutputMessage.RelationColumn(string(buffer), identity, buffer.getInt(), buffer.getInt()));
        }
        return new PgoutputMessage.Relation(xid, relationId, namespace, name, replicaIdentity, columns);
    }

    private PgoutputMessage update(ByteBuffer buffer) {
        long xid = streamXid(buffer);
        int relation = buffer.getInt();
        char kind = (char) buffer.get();
        RowImage before = null;
        if (kind == 'K' || kind == 'O') {
            before = tuple(buffer);
            kind = (char) buffer.get();
        }
        if (kind != 'N') {
            throw new IllegalStateException("pgoutput update message: expected new tuple 'N', got '" + kind + "'");
        }
        return new PgoutputMessage.Update(xid, relation, before, tuple(buffer));
    }

    private PgoutputMessage truncate(ByteBuffer buffer) {
        long xid = streamXid(buffer);
        int count = buffer.getInt();
        int options = buffer.get();
        int[] relations = new int[count];
        for (int i = 0; i < count; i++) {
            relations[i] = buffer.getInt();
        }
        return new PgoutputMessage.Truncate(xid, relations, (options & 1) != 0, (options & 2) != 0);
    }

    private PgoutputMessage message(ByteBuffer buffer) {
        long xid = streamXid(buffer);
        boolean transactional = (buffer.get() & 1) != 0;
        Lsn lsn = lsn(buffer);
        String prefix = string(buffer);
        byte[] content = new byte[buffer.getInt()];
        buffer.get(content);
        return new PgoutputMessage.Message(xid, transactional, lsn, prefix, content);
    }

    private RowImage tuple(ByteBuffer buffer) {
        int count = buffer.getShort();
        String[] values = new String[count];
        boolean[] unchanged = null;
        for (int i = 0; i < count; i++) {
            char kind = (char) buffer.get();
            switch (kind) {
                case 'n' -> values[i] = null;
                case 'u' -> {
                    if (unchanged == null) {
                        unchanged = new boolean[count];
                    }
                    unchanged[i] = true;
                }
                case 't' -> {
                    int length = buffer.getInt();
                    values[i] = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), length, StandardCharsets.UTF_8);
                    buffer.position(buffer.position() + length);
                }
                default -> throw new IllegalStateException("pgoutput tuple: unsupported column kind '" + kind
                        + "' (binary mode is not requested)");
            }
        }
        return new RowImage(values, unchanged);
    }

    private long streamXid(ByteBuffer buffer) {
        return inStreamBlock ? unsignedInt(buffer) : 0;
    }

    private static void expect(ByteBuffer buffer, char expected) {
        char actual = (char) buffer.get();
        if (actual != expected) {
            throw new IllegalStateException("pgoutput: expected '" + expected + "', got '" + actual + "'");
        }
    }

    private static Lsn lsn(ByteBuffer buffer) {
        return new Lsn(buffer.getLong());
    }

    private static long unsignedInt(ByteBuffer buffer) {
        return buffer.getInt() & 0xFFFFFFFFL;
    }

    private static Instant timestamp(ByteBuffer buffer) {
        long micros = buffer.getLong() + POSTGRES_EPOCH_MICROS;
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    private static String string(ByteBuffer buffer) {
        int start = buffer.position();
        int end = start;
        while (buffer.get(end) != 0) {
            end++;
        }
        String value = new String(buffer.array(), buffer.arrayOffset() + start, end - start, StandardCharsets.UTF_8);
        buffer.position(end + 1);
        return value;
    }
}
