package io.cellpipe.postgres;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.ChangeBuffer;
import io.cellpipe.core.model.Transaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The capture thread's side of resync chunks: between a chunk's low and high watermark it records the
 * keys the stream changes; at the high watermark it turns the chunk into a transaction. Watermarks of
 * other slots (another pipeline on the same database) and of chunks this run does not know (written
 * before a restart) are only positions, like heartbeats.
 */
final class ResyncWindows {
    private final String cellId;
    private final String slot;
    private final Path spillDirectory;
    private final long memoryBudget;
    private final Map<String, ResyncChunk> registered = new ConcurrentHashMap<>();
    /** Chunks whose low watermark passed; touched by the capture thread only. */
    private final List<ResyncChunk> open = new ArrayList<>();

    ResyncWindows(String cellId, String slot, Path spillDirectory, long memoryBudget) {
        this.cellId = cellId;
        this.slot = slot;
        this.spillDirectory = spillDirectory;
        this.memoryBudget = memoryBudget;
    }

    /** Called by the resync's thread before it writes the chunk's low watermark. */
    void register(ResyncChunk chunk) {
        registered.put(chunk.id(), chunk);
    }

    void unregister(ResyncChunk chunk) {
        registered.remove(chunk.id());
    }

    static boolean isWatermark(PgoutputMessage.Message message) {
        return !message.transactional() && Watermarks.PREFIX.equals(message.prefix());
    }

    /** A watermark the stream reached; returns the chunk's transaction at its high watermark, else null. */
    Transaction reached(PgoutputMessage.Message message) {
        Watermarks.Mark mark = Watermarks.Mark.parse(message.content());
        if (mark == null || !mark.slot().equals(slot)) {
            return null;
        }
        ResyncChunk chunk = registered.get(mark.chunkId());
        if (chunk == null) {
            return null;
        }
        if (mark.kind() == Watermarks.Kind.LOW) {
            chunk.opened(message.lsn());
            open.add(chunk);
            return null;
        }
        open.remove(chunk);
        try {
            Transaction transaction = chunk.toTransaction(cellId, message.lsn(), new ChangeBuffer(spillDirectory, memoryBudget));
            chunk.handled().complete(transaction.commitLsn());
            return transaction;
        } catch (RuntimeException e) {
            chunk.handled().completeExceptionally(e);
            return null;
        }
    }

    /** Records the keys a committed transaction changed in the tables of open chunks. */
    void observe(Transaction transaction) {
        if (open.isEmpty()) {
            return;
        }
        boolean relevant = false;
        for (ResyncChunk chunk : open) {
            relevant |= transaction.changes().tables().stream().anyMatch(table -> table.id().equals(chunk.table().id()));
        }
        if (!relevant) {
            return;
        }
        Iterator<Change> changes = transaction.changes().iterator();
        while (changes.hasNext()) {
            Change change = changes.next();
            for (ResyncChunk chunk : open) {
                chunk.observe(change);
            }
        }
    }

    /** The stream stops: chunks still waiting will never see their high watermark in this run. */
    void close() {
        for (ResyncChunk chunk : registered.values()) {
            chunk.handled().completeExceptionally(new IllegalStateException(cellId + ": the replication stream stopped"));
        }
        open.clear();
    }
}
