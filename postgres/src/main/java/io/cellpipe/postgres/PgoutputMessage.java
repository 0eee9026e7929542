package io.cellpipe.postgres;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.RowImage;
import java.time.Instant;
import java.util.List;

/**
 * The messages of PostgreSQL's pgoutput plugin (logical replication protocol v1 to v4) that
 * the capture acts on. {@code xid} on a change is set only inside a streamed transaction block.
 */
sealed interface PgoutputMessage {
    record Begin(Lsn finalLsn, Instant commitTime, long xid) implements PgoutputMessage {
    }

    record Commit(Lsn commitLsn, Lsn endLsn, Instant commitTime) implements PgoutputMessage {
    }

    record Relation(long xid, int relationId, String namespace, String name, char replicaIdentity, List<RelationColumn> columns)
            implements PgoutputMessage {
    }

    record RelationColumn(String name, boolean identity, int typeOid, int typeModifier) {
    }

    record Insert(long xid, int relationId, RowImage after) implements PgoutputMessage {
    }

    /** {@code before} is the old key ('K') or old row ('O') when sent, else null. */
    record Update(long xid, int relationId, RowImage before, RowImage after) implements PgoutputMessage {
    }

    record Delete(long xid, int relationId, RowImage before) implements PgoutputMessage {
    }

    record Truncate(long xid, int[] relationIds, boolean cascade, boolean restartIdentity) implements PgoutputMessage {
    }

    /** A logical message ({@code pg_logical_emit_message}): heartbeats and watermarks. */
    record Message(long xid, boolean transactional, Lsn lsn, String prefix, byte[] content) implements PgoutputMessage {
    }

    record StreamStart(long xid, boolean firstSegment) implements PgoutputMessage {
    }

    record StreamStop() implements PgoutputMessage {
    }

    record StreamCommit(long xid, Lsn commitLsn, Lsn endLsn, Instant commitTime) implements PgoutputMessage {
    }

    record StreamAbort(long xid, long subXid) implements PgoutputMessage {
    }

    /** Origin, Type and other messages the capture does not need. */
    record Ignored(char tag) implements PgoutputMessage {
    }
}
