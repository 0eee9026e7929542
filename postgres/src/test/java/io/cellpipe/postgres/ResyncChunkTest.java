package io.cellpipe.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.ChangeBuffer;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.Operation;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.model.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The capture thread's side of a resync chunk: what it keeps of the read, and where it puts the chunk. */
class ResyncChunkTest {
    private static final TableSchema USERS = new TableSchema(new TableId("public", "users"), List.of(
            new Column("id", ColumnType.of(ColumnKind.INT64, "bigint"), true), new Column("name", ColumnType.of(ColumnKind.TEXT, "text"), false)));
    private static final TableSchema OTHER = new TableSchema(new TableId("public", "other"), USERS.columns());

    @Test
    void rowsTheStreamChangedBetweenTheWatermarksAreLeftToTheStream() {
        ResyncWindows windows = new ResyncWindows("cell-1", "cellpipe_x", null, 1 << 20);
        ResyncChunk chunk = chunk(windows, "c1", rows("1", "2", "3", "4", "5"));
        assertThat(windows.reached(mark("cellpipe_x", "c1", "low", 100))).isNull();
        windows.observe(transaction(Change.update(USERS, null, RowImage.of("2", "new")), Change.delete(USERS, RowImage.of("4", null)),
                Change.insert(OTHER, RowImage.of("5", "another table"))));

        Transaction transaction = windows.reached(mark("cellpipe_x", "c1", "high", 200));

        assertThat(keys(transaction)).containsExactly("1", "3", "5");
        assertThat(transaction.commitLsn()).as("just after the high watermark").isEqualTo(new Lsn(201));
        assertThat(transaction.resync().since()).as("the first chunk's low watermark").isEqualTo(new Lsn(100));
        assertThat(chunk.handled()).isCompletedWithValue(new Lsn(201));
        assertThat(chunk.dropped()).isEqualTo(2);
    }

    @Test
    void aChangeBeforeTheLowWatermarkOrATruncateInsideDecide() {
        ResyncWindows windows = new ResyncWindows("cell-1", "cellpipe_x", null, 1 << 20);
        chunk(windows, "c2", rows("1", "2"));
        windows.observe(transaction(Change.update(USERS, null, RowImage.of("1", "before the window"))));
        windows.reached(mark("cellpipe_x", "c2", "low", 100));
        assertThat(keys(windows.reached(mark("cellpipe_x", "c2", "high", 200)))).containsExactly("1", "2");

        chunk(windows, "c3", rows("1", "2"));
        windows.reached(mark("cellpipe_x", "c3", "low", 300));
        windows.observe(transaction(Change.truncate(USERS)));
        assertThat(keys(windows.reached(mark("cellpipe_x", "c3", "high", 400)))).isEmpty();
    }

    @Test
    void watermarksOfAnotherSlotOrAnUnknownChunkAreOnlyPositions() {
        ResyncWindows windows = new ResyncWindows("cell-1", "cellpipe_x", null, 1 << 20);
        chunk(windows, "c1", rows("1"));
        assertThat(windows.reached(mark("cellpipe_other", "c1", "high", 200))).isNull();
        assertThat(windows.reached(mark("cellpipe_x", "unknown", "high", 200))).isNull();
        assertThat(ResyncWindows.isWatermark(mark("cellpipe_x", "c1", "low", 1))).isTrue();
    }

    private static ResyncChunk chunk(ResyncWindows windows, String id, List<RowImage> rows) {
        ResyncChunk chunk = new ResyncChunk(id, USERS);
        chunk.fill(rows, new ResyncChunk.ProgressTemplate("resync-1", null, "[\"5\"]", rows.size(), false, null));
        windows.register(chunk);
        return chunk;
    }

    private static List<RowImage> rows(String... ids) {
        List<RowImage> rows = new ArrayList<>();
        for (String id : ids) {
            rows.add(RowImage.of(id, "name " + id));
        }
        return rows;
    }

    private static PgoutputMessage.Message mark(String slot, String chunk, String kind, long lsn) {
        return new PgoutputMessage.Message(0, false, new Lsn(lsn), Watermarks.PREFIX,
                (slot + "/" + chunk + "/" + kind).getBytes(StandardCharsets.UTF_8));
    }

    private static Transaction transaction(Change... changes) {
        ChangeBuffer buffer = ChangeBuffer.inMemory();
        for (Change change : changes) {
            buffer.add(change);
        }
        return new Transaction("cell-1", 7, new Lsn(150), java.time.Instant.now(), buffer);
    }

    private static List<String> keys(Transaction transaction) {
        List<String> keys = new ArrayList<>();
        transaction.changes().forEach(change -> {
            assertThat(change.op()).isEqualTo(Operation.READ);
            keys.add(change.after().value(0));
        });
        return keys;
    }
}
