package io.cellpipe.postgres;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.ChangeBuffer;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.KeyRange;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.ResyncProgress;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.model.Transaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One resync chunk between its watermarks. The resync's thread fills in the rows it read (before it
 * writes the high watermark); the capture thread records the keys of the table that the stream changes
 * between the watermarks and, at the high watermark, turns the rows whose key did not change into a
 * transaction. A row whose key changed is left out: the stream carries a change of it at least as new as
 * the read, which the warehouse applies before the chunk.
 */
final class ResyncChunk {
    private final String id;
    private final TableSchema table;
    private final List<String> keyNames;
    private final CompletableFuture<Lsn> handled = new CompletableFuture<>();
    /** Touched by the capture thread only. */
    private final Set<List<String>> changedKeys = new HashSet<>();
    private final Map<TableSchema, int[]> keyPositions = new IdentityHashMap<>();
    private boolean truncated;
    private int dropped;
    private volatile Lsn low;
    // written by the resync's thread before it writes the high watermark, read by the capture thread after it decodes it
    private volatile List<RowImage> rows;
    private volatile ProgressTemplate progress;

    /** What the chunk's {@link ResyncProgress} says, but the first low watermark that only the stream knows. */
    record ProgressTemplate(String resyncId, Lsn since, String lastKey, long rowsDone, boolean finished, KeyRange range) {
    }

    ResyncChunk(String id, TableSchema table) {
        this.id = id;
        this.table = table;
        this.keyNames = table.keyColumns().stream().map(Column::name).toList();
    }

    String id() {
        return id;
    }

    TableSchema table() {
        return table;
    }

    void fill(List<RowImage> rows, ProgressTemplate progress) {
        this.progress = progress;
        this.rows = rows;
    }

    /** Completes with the chunk's position once the capture thread has handed it over, or with why not. */
    CompletableFuture<Lsn> handled() {
        return handled;
    }

    /** The low watermark as the stream shows it; null until then. */
    Lsn low() {
        return low;
    }

    void opened(Lsn lowWatermark) {
        low = lowWatermark;
    }

    /** Records the keys of the chunk's table that a committed transaction changed. */
    void observe(Change change) {
        if (!change.table().id().equals(table.id())) {
            return;
        }
        switch (change.op()) {
            case TRUNCATE -> truncated = true;
            case UPDATE -> {
                changedKeys.add(key(change.table(), change.after()));
                if (change.before() != null) {
                    changedKeys.add(key(change.table(), change.before()));
                }
            }
            default -> changedKeys.add(key(change.table(), change.identity()));
        }
    }

    /**
     * The chunk as a transaction positioned just after the high watermark: after every transaction the
     * stream showed before it, before every later one. Every row is a {@code READ} (an upsert).
     */
    Transaction toTransaction(String cellId, Lsn high, ChangeBuffer buffer) {
        ProgressTemplate template = progress;
        List<RowImage> read = rows;
        if (template == null || read == null || low == null) {
            throw new IllegalStateException(cellId + ": resync chunk " + id + " reached its high watermark before its rows or low watermark");
        }
        int[] positions = positions(table);
        int kept = 0;
        if (!truncated) {
            for (RowImage row : read) {
                if (!changedKeys.contains(key(row, positions))) {
                    buffer.add(new Change(table, io.cellpipe.core.model.Operation.READ, null, row));
                    kept++;
                }
            }
        }
        ResyncProgress resync = new ResyncProgress(template.resyncId(), table, template.since() != null ? template.since() : low,
                template.lastKey(), template.rowsDone(), template.finished(), template.range());
        dropped = read.size() - kept;
        return new Transaction(cellId, 0, new Lsn(high.value() + 1), java.time.Instant.now(), buffer, resync);
    }

    /** Rows of the read left out because the stream changed them between the watermarks. */
    int dropped() {
        return dropped;
    }

    private List<String> key(TableSchema schema, RowImage image) {
        return key(image, keyPositions.computeIfAbsent(schema, this::positions));
    }

    private static List<String> key(RowImage image, int[] positions) {
        List<String> key = new ArrayList<>(positions.length);
        for (int position : positions) {
            key.add(position < 0 || position >= image.size() ? null : image.value(position));
        }
        return key;
    }

    private int[] positions(TableSchema schema) {
        int[] positions = new int[keyNames.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = schema.indexOf(keyNames.get(i));
        }
        return positions;
    }
}
