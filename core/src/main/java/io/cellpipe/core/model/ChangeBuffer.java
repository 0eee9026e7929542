package io.cellpipe.core.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * The changes of one transaction, in order. Holds them in memory up to a byte budget, then spills
 * them to a file, so memory stays bounded whatever the size of the transaction (invariant 4).
 * Not thread-safe: one thread fills it, then it is handed over and only read.
 */
public final class ChangeBuffer implements AutoCloseable {
    private static final int PER_VALUE_OVERHEAD = 40;

    private final Path spillDirectory;
    private final long memoryBudgetBytes;
    private final List<Change> memory = new ArrayList<>();
    /**
     * Tags of the changes in memory, parallel to {@code memory}; null while every tag is 0 (a
     * transaction that was not streamed), so the common case allocates nothing per change.
     */
    private List<Long> memoryTags;
    private final java.util.Set<Long> discardedTags = new java.util.HashSet<>();
    /** Every table shape of the changes added, in order of first appearance. */
    private final Map<TableSchema, Boolean> shapes = new java.util.IdentityHashMap<>();
    /** Changes per non-zero tag, for {@link #discard}. */
    private final Map<Long, Long> countByTag = new java.util.HashMap<>();
    /**
     * Changes per table, indexed by {@link Operation#ordinal}, and the same per non-zero tag, so
     * counting never needs to read a spilled buffer back.
     */
    private final Map<TableId, long[]> operationCounts = new java.util.HashMap<>();
    private final Map<Long, Map<TableId, long[]>> operationCountsByTag = new java.util.HashMap<>();
    private final List<TableSchema> spilledSchemas = new ArrayList<>();
    private final Map<TableSchema, Integer> spilledSchemaIndex = new IdentityHashMap<>();
    private long memoryBytes;
    private long size;
    private long spilledCount;
    private Path spillFile;
    private DataOutputStream spill;

    public ChangeBuffer(Path spillDirectory, long memoryBudgetBytes) {
        this.spillDirectory = spillDirectory;
        this.memoryBudgetBytes = memoryBudgetBytes;
    }

    /** A buffer that never spills; for tests and small, bounded inputs. */
    public static ChangeBuffer inMemory() {
        return new ChangeBuffer(null, Long.MAX_VALUE);
    }

    public void add(Change change) {
        add(change, 0);
    }

    /**
     * Adds a change made by the (sub)transaction {@code tag}; {@link #discard} later drops every
     * change of a tag, for a subtransaction that rolled back after its changes were streamed.
     */
    public void add(Change change, long tag) {
        size++;
        shapes.putIfAbsent(change.table(), Boolean.TRUE);
        count(operationCounts, change, 1);
        if (tag != 0) {
            countByTag.merge(tag, 1L, Long::sum);
            count(operationCountsByTag.computeIfAbsent(tag, t -> new java.util.HashMap<>()), change, 1);
        }
        if (spill != null) {
            write(change, tag);
            return;
        }
        memory.add(change);
        if (tag != 0 && memoryTags == null) {
            memoryTags = new ArrayList<>(java.util.Collections.nCopies(memory.size() - 1, 0L));
        }
        if (memoryTags != null) {
            memoryTags.add(tag);
        }
        memoryBytes += estimate(change);
        if (memoryBytes > memoryBudgetBytes && spillDirectory != null) {
            startSpilling();
        }
    }

    /** The table shapes of the changes, without reading them back (a spilled buffer would have to). */
    public java.util.Set<TableSchema> tables() {
        return java.util.Collections.unmodifiableSet(shapes.keySet());
    }

    /** Drops every change added with {@code tag}. */
    public void discard(long tag) {
        Long count = countByTag.remove(tag);
        if (count != null) {
            size -= count;
            discardedTags.add(tag);
        }
        Map<TableId, long[]> discarded = operationCountsByTag.remove(tag);
        if (discarded != null) {
            discarded.forEach((table, counts) -> {
                long[] total = operationCounts.get(table);
                for (int i = 0; i < counts.length; i++) {
                    total[i] -= counts[i];
                }
            });
        }
    }

    /** How many changes of each operation each table has, without reading the changes back. */
    public Map<TableId, Map<Operation, Long>> operationCounts() {
        Map<TableId, Map<Operation, Long>> result = new java.util.LinkedHashMap<>();
        operationCounts.forEach((table, counts) -> {
            Map<Operation, Long> byOp = new java.util.EnumMap<>(Operation.class);
            for (Operation op : Operation.values()) {
                if (counts[op.ordinal()] > 0) {
                    byOp.put(op, counts[op.ordinal()]);
                }
            }
            if (!byOp.isEmpty()) {
                result.put(table, byOp);
            }
        });
        return result;
    }

    private static void count(Map<TableId, long[]> counts, Change change, long delta) {
        counts.computeIfAbsent(change.table().id(), id -> new long[Operation.values().length])[change.op().ordinal()] += delta;
    }

    public long size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean spilled() {
        return spillFile != null;
    }

    public long memoryBytes() {
        return memoryBytes;
    }

    /** Visits every change in order; may be called more than once. */
    public void forEach(Consumer<Change> action) {
        Iterator<Change> changes = iterator();
        while (changes.hasNext()) {
            action.accept(changes.next());
        }
    }

    public Iterator<Change> iterator() {
        if (spill == null) {
            if (discardedTags.isEmpty()) {
                return memory.iterator();
            }
            List<Change> kept = new ArrayList<>();
            for (int i = 0; i < memory.size(); i++) {
                if (!discardedTags.contains(tagAt(i))) {
                    kept.add(memory.get(i));
                }
            }
            return kept.iterator();
        }
        try {
            spill.flush();
            return new SpillIterator(new DataInputStream(new BufferedInputStream(Files.newInputStream(spillFile), 1 << 16)), spilledCount);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spilled transaction " + spillFile, e);
        }
    }

    @Override
    public void close() {
        memory.clear();
        memoryTags = null;
        if (spill != null) {
            try {
                spill.close();
                Files.deleteIfExists(spillFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete spilled transaction " + spillFile, e);
            } finally {
                spill = null;
            }
        }
    }

    private long tagAt(int index) {
        return memoryTags == null ? 0 : memoryTags.get(index);
    }

    private void startSpilling() {
        try {
            Files.createDirectories(spillDirectory);
            spillFile = Files.createTempFile(spillDirectory, "tx-", ".spill");
            spill = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(spillFile), 1 << 16));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spill a large transaction to " + spillDirectory
                    + " (is the disk full? set capture.spill_directory to a volume with space)", e);
        }
        for (int i = 0; i < memory.size(); i++) {
            write(memory.get(i), tagAt(i));
        }
        memory.clear();
        memoryTags = null;
        memoryBytes = 0;
    }

    private void write(Change change, long tag) {
        spilledCount++;
        try {
            spill.writeLong(tag);
            Integer schema = spilledSchemaIndex.get(change.table());
            if (schema == null) {
                schema = spilledSchemas.size();
                spilledSchemas.add(change.table());
                spilledSchemaIndex.put(change.table(), schema);
            }
            spill.writeInt(schema);
            spill.writeByte(change.op().ordinal());
            writeImage(change.before());
            writeImage(change.after());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spill a large transaction to " + spillFile
                    + " (is the disk full? set capture.spill_directory to a volume with space)", e);
        }
    }

    private void writeImage(RowImage image) throws IOException {
        if (image == null) {
            spill.writeInt(-1);
            return;
        }
        spill.writeInt(image.size());
        for (int i = 0; i < image.size(); i++) {
            String value = image.value(i);
            if (image.isUnchangedToast(i)) {
                spill.writeInt(-2);
            } else if (value == null) {
                spill.writeInt(-1);
            } else {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                spill.writeInt(bytes.length);
                spill.write(bytes);
            }
        }
    }

    private static long estimate(Change change) {
        return 64 + estimate(change.before()) + estimate(change.after());
    }

    private static long estimate(RowImage image) {
        if (image == null) {
            return 0;
        }
        long bytes = 16;
        for (int i = 0; i < image.size(); i++) {
            String value = image.value(i);
            bytes += PER_VALUE_OVERHEAD + (value == null ? 0 : value.length());
        }
        return bytes;
    }

    private final class SpillIterator implements Iterator<Change> {
        private final DataInputStream in;
        private long remaining;

        SpillIterator(DataInputStream in, long count) {
            this.in = in;
            this.remaining = count;
        }

        private Change next;

        @Override
        public boolean hasNext() {
            while (next == null && remaining > 0) {
                next = read();
            }
            if (next == null) {
                closeQuietly();
            }
            return next != null;
        }

        @Override
        public Change next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Change result = next;
            next = null;
            return result;
        }

        private Change read() {
            try {
                long tag = in.readLong();
                TableSchema table = spilledSchemas.get(in.readInt());
                Operation op = Operation.values()[in.readByte()];
                RowImage before = readImage();
                RowImage after = readImage();
                remaining--;
                return discardedTags.contains(tag) ? null : new Change(table, op, before, after);
            } catch (EOFException e) {
                throw new UncheckedIOException("spilled transaction " + spillFile + " is truncated", e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read spilled transaction " + spillFile, e);
            }
        }

        private RowImage readImage() throws IOException {
            int size = in.readInt();
            if (size < 0) {
                return null;
            }
            String[] values = new String[size];
            boolean[] unchanged = null;
            for (int i = 0; i < size; i++) {
                int length = in.readInt();
                if (length == -2) {
                    if (unchanged == null) {
                        unchanged = new boolean[size];
                    }
                    unchanged[i] = true;
                } else if (length >= 0) {
                    values[i] = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                }
            }
            return new RowImage(values, unchanged);
        }

        private void closeQuietly() {
            try {
                in.close();
            } catch (IOException ignored) {
                // reading is finished; nothing depends on the close
            }
        }
    }
}
