package io.cellpipe.postgres;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.ChangeBuffer;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.Transaction;
import io.cellpipe.core.privacy.ColumnPolicies;
import io.cellpipe.core.privacy.TablePolicy;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns pgoutput messages into committed {@link Transaction}s. Non-streamed transactions arrive
 * whole between Begin and Commit; streamed ones (larger than the server's logical_decoding_work_mem)
 * arrive in blocks interleaved with others and are buffered per top-level transaction until their
 * Stream Commit. Either way a buffer spills to disk past its memory budget. Column policies are applied to every
 * row image before its change is created, so neither a buffer nor its spill file holds a value
 * that a policy drops, hashes or redacts (architecture invariant 6). A values row filter is applied
 * here too, before the policies (see {@link StreamRowFilter}).
 */
final class TransactionAssembler {
    private final String cellId;
    private final CellCatalog catalog;
    private final Path spillDirectory;
    private final long memoryBudget;
    private final ColumnPolicies policies;
    private final CellRowFilters rowFilters;
    /** Per relation, the policy and row filter of its current shape: computed once per Relation message, so a change only maps values. */
    private final Map<Integer, CapturedRelation> relations = new HashMap<>();
    /** Per relation, its name at the start or as first announced in this stream: a relation's identity is its OID, not its name. */
    private final Map<Integer, TableId> names = new HashMap<>();
    /** Relations renamed while streaming: none of their changes is assembled again. */
    private final java.util.Set<Integer> renamed = new java.util.HashSet<>();
    private final java.util.function.BiConsumer<TableId, TableId> onRename;
    private final Map<Long, ChangeBuffer> streamed = new HashMap<>();
    private ChangeBuffer current;
    private long currentXid;
    private long streamXid;

    /** A relation's shape as captured: its column policies, and its row filter (null for none). */
    private record CapturedRelation(TablePolicy policy, StreamRowFilter filter) {
    }

    /**
     * @param names the captured tables' names by OID when the stream started
     * @param onRename told the old and new name of a relation renamed in the stream, before any of its changes under the new name */
    TransactionAssembler(String cellId, CellCatalog catalog, Path spillDirectory, long memoryBudget, ColumnPolicies policies,
            CellRowFilters rowFilters, Map<Integer, TableId> names, java.util.function.BiConsumer<TableId, TableId> onRename) {
        this.onRename = onRename;
        this.names.putAll(names);
        this.policies = policies;
        this.rowFilters = rowFilters;
        this.cellId = cellId;
        this.catalog = catalog;
        this.spillDirectory = spillDirectory;
        this.memoryBudget = memoryBudget;
    }

    /** Feeds one message; returns a transaction when one commits, else null. */
    Transaction accept(PgoutputMessage message) throws SQLException {
        switch (message) {
            case PgoutputMessage.Begin begin -> {
                current = newBuffer();
                currentXid = begin.xid();
            }
            case PgoutputMessage.Commit commit -> {
                Transaction transaction = new Transaction(cellId, currentXid, commit.endLsn(), commit.commitTime(), current);
                current = null;
                return transaction;
            }
            case PgoutputMessage.Relation relation -> {
                // The table selection and privacy rules name tables: under a new name they may no longer
                // match (a hashed column would land in clear), so a renamed table stops instead.
                TableId name = new TableId(relation.namespace(), relation.name());
                TableId first = names.putIfAbsent(relation.relationId(), name);
                if (renamed.contains(relation.relationId()) || first != null && !first.equals(name)) {
                    if (renamed.add(relation.relationId())) {
                        relations.remove(relation.relationId());
                        onRename.accept(first, name);
                    }
                    return null;
                }
                TablePolicy policy = policies.forTable(catalog.schema(relation));
                StreamRowFilter filter = StreamRowFilter.of(cellId, rowFilters.inProcess(policy.source().id()), policy.source(), relation);
                relations.put(relation.relationId(), new CapturedRelation(policy, filter));
            }
            case PgoutputMessage.Insert insert when isRenamed(insert.relationId()) -> {
                // a renamed table's changes are not assembled (nor spilled)
            }
            case PgoutputMessage.Update update when isRenamed(update.relationId()) -> {
            }
            case PgoutputMessage.Delete delete when isRenamed(delete.relationId()) -> {
            }
            case PgoutputMessage.Insert insert -> {
                CapturedRelation captured = captured(insert.relationId());
                TablePolicy table = captured.policy();
                RowImage after = fit(table, insert.after());
                if (captured.filter() == null || captured.filter().admits(after)) {
                    add(insert.xid(), Change.insert(table.schema(), table.apply(after)));
                }
            }
            case PgoutputMessage.Update update -> {
                CapturedRelation captured = captured(update.relationId());
                TablePolicy table = captured.policy();
                RowImage before = update.before() == null ? null : fit(table, update.before());
                RowImage after = fit(table, update.after());
                StreamRowFilter.Decision decision = captured.filter() == null ? StreamRowFilter.Decision.KEEP
                        : captured.filter().update(before, after);
                switch (decision) {
                    case KEEP -> add(update.xid(), Change.update(table.schema(), table.apply(before), table.apply(after)));
                    case DELETE -> add(update.xid(), Change.delete(table.schema(),
                            table.apply(before != null ? before : StreamRowFilter.keyOf(table.source(), after))));
                    case INSERT -> add(update.xid(), Change.insert(table.schema(), table.apply(StreamRowFilter.entering(before, after))));
                    case SKIP -> {
                        // outside the filter before and after
                    }
                }
            }
            case PgoutputMessage.Delete delete -> {
                CapturedRelation captured = captured(delete.relationId());
                TablePolicy table = captured.policy();
                RowImage before = fit(table, delete.before());
                if (captured.filter() == null || captured.filter().delete(before) == StreamRowFilter.Decision.KEEP) {
                    add(delete.xid(), Change.delete(table.schema(), table.apply(before)));
                }
            }
            case PgoutputMessage.Truncate truncate -> {
                for (int relation : truncate.relationIds()) {
                    if (!isRenamed(relation)) {
                        add(truncate.xid(), Change.truncate(captured(relation).policy().schema()));
                    }
                }
            }
            case PgoutputMessage.StreamStart start -> {
                streamXid = start.xid();
                streamed.computeIfAbsent(streamXid, xid -> newBuffer());
            }
            case PgoutputMessage.StreamStop stop -> streamXid = 0;
            case PgoutputMessage.StreamCommit commit -> {
                ChangeBuffer changes = streamed.remove(commit.xid());
                if (changes == null) {
                    changes = newBuffer();
                }
                return new Transaction(cellId, commit.xid(), commit.endLsn(), commit.commitTime(), changes);
            }
            case PgoutputMessage.StreamAbort abort -> {
                if (abort.xid() == abort.subXid()) {
                    ChangeBuffer changes = streamed.remove(abort.xid());
                    if (changes != null) {
                        changes.close();
                    }
                } else {
                    ChangeBuffer changes = streamed.get(abort.xid());
                    if (changes != null) {
                        changes.discard(abort.subXid());
                    }
                }
            }
            case PgoutputMessage.Message ignored -> {
                // heartbeats and watermarks are handled by the reader
            }
            case PgoutputMessage.Ignored ignored -> {
                // origin and type messages carry nothing the capture needs
            }
        }
        return null;
    }

    /** True while a non-streamed transaction is open (between Begin and Commit). */
    boolean inTransaction() {
        return current != null;
    }

    void close() {
        if (current != null) {
            current.close();
        }
        streamed.values().forEach(ChangeBuffer::close);
        streamed.clear();
    }

    private void add(long xid, Change change) {
        if (streamXid != 0) {
            streamed.get(streamXid).add(change, xid);
        } else if (current != null) {
            current.add(change);
        } else {
            throw new IllegalStateException(cellId + ": a change arrived outside any transaction");
        }
    }

    /** Checked for every change: the empty set, the usual case, costs no boxing of the OID. */
    private boolean isRenamed(int relationId) {
        return !renamed.isEmpty() && renamed.contains(relationId);
    }

    private CapturedRelation captured(int relationId) {
        CapturedRelation table = relations.get(relationId);
        if (table == null) {
            throw new IllegalStateException(cellId + ": change for relation " + relationId + " before its Relation message");
        }
        return table;
    }

    /** Guards against a tuple whose width differs from its relation's (never expected from pgoutput). */
    private RowImage fit(TablePolicy table, RowImage image) {
        int width = table.source().columns().size();
        if (image.size() != width) {
            throw new IllegalStateException(cellId + ": tuple of " + image.size() + " columns for a relation of " + width);
        }
        return image;
    }

    private ChangeBuffer newBuffer() {
        return new ChangeBuffer(spillDirectory, memoryBudget);
    }
}
