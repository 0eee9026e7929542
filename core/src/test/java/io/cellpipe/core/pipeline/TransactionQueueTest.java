package io.cellpipe.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.ChangeBuffer;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.model.Transaction;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TransactionQueueTest {
    private static final TableSchema ITEMS = new TableSchema(new TableId("public", "items"), List.of(
            new Column("id", ColumnType.of(ColumnKind.INT64, "bigint"), true)));

    /** A transaction of {@code changes} inserts. */
    private static Transaction transaction(String cell, long lsn, int changes) {
        ChangeBuffer buffer = ChangeBuffer.inMemory();
        for (int i = 0; i < changes; i++) {
            buffer.add(Change.insert(ITEMS, RowImage.of(Long.toString(lsn * 1000 + i))));
        }
        return new Transaction(cell, lsn, new Lsn(lsn), Instant.EPOCH, buffer);
    }

    private static Transaction transaction(String cell, long lsn) {
        return new Transaction(cell, lsn, new Lsn(lsn), Instant.EPOCH, ChangeBuffer.inMemory());
    }

    @Test
    void aReaderOfADroppedEpochCannotHandOverEvenWhenWokenByTheDrop() throws Exception {
        TransactionQueue queue = new TransactionQueue(1, Long.MAX_VALUE, Long.MAX_VALUE);
        long epoch = queue.epoch("a");
        assertThat(queue.offer(transaction("a", 1), epoch, 10)).isTrue();
        // The queue is full: the reader waits, and dropping the cell's work wakes it up.
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.offer(transaction("a", 2), epoch, 5_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(queue.removeCell("a")).hasSize(1);
        assertThat(waiting.get(5, TimeUnit.SECONDS)).as("refused: the epoch moved on").isFalse();
        assertThat(queue.isEmpty()).isTrue();

        assertThat(queue.offer(transaction("a", 1), queue.epoch("a"), 10)).as("the restarted reader's epoch").isTrue();
        assertThat(queue.offer(transaction("b", 7), queue.epoch("b"), 10)).as("a full queue times out").isFalse();
    }

    @Test
    void countsPendingTransactionsPerCell() throws Exception {
        TransactionQueue queue = new TransactionQueue(10, Long.MAX_VALUE, Long.MAX_VALUE);
        queue.offer(transaction("a", 1), 0, 10);
        queue.offer(transaction("b", 1), 0, 10);
        assertThat(queue.pendingCount("a")).isEqualTo(1);
        Transaction polled = queue.poll(TimeUnit.MILLISECONDS.toNanos(10));
        assertThat(polled.cellId()).isEqualTo("a");
        assertThat(queue.pendingCount("a")).as("polled but not yet applied").isEqualTo(1);
        queue.done(polled);
        assertThat(queue.pendingCount("a")).isZero();
        assertThat(queue.pendingCount("b")).isEqualTo(1);
    }

    @Test
    void holdsAtMostItsChangesButAlwaysTakesOneTransactionWhenEmpty() throws Exception {
        TransactionQueue queue = new TransactionQueue(100, Long.MAX_VALUE, 5);
        assertThat(queue.offer(transaction("a", 1, 3), 0, 10)).isTrue();
        assertThat(queue.offer(transaction("a", 2, 2), 0, 10)).as("5 changes fit").isTrue();
        assertThat(queue.offer(transaction("a", 3, 1), 0, 10)).as("a 6th change waits, then times out").isFalse();

        queue.poll(TimeUnit.MILLISECONDS.toNanos(10));
        assertThat(queue.offer(transaction("a", 3, 3), 0, 10)).as("room for 3 once 3 are taken").isTrue();
        queue.poll(TimeUnit.MILLISECONDS.toNanos(10));
        queue.poll(TimeUnit.MILLISECONDS.toNanos(10));
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.offer(transaction("a", 4, 50), 0, 10)).as("an empty queue takes a transaction of any size").isTrue();
        assertThat(queue.offer(transaction("a", 5, 1), 0, 10)).isFalse();
    }
}
