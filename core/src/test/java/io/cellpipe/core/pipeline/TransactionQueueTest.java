package io.cellpipe.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.ChangeBuffer;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.Transaction;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TransactionQueueTest {
    private static Transaction transaction(String cell, long lsn) {
        return new Transaction(cell, lsn, new Lsn(lsn), Instant.EPOCH, ChangeBuffer.inMemory());
    }

    @Test
    void aReaderOfADroppedEpochCannotHandOverEvenWhenWokenByTheDrop() throws Exception {
        TransactionQueue queue = new TransactionQueue(1, Long.MAX_VALUE);
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
        TransactionQueue queue = new TransactionQueue(10, Long.MAX_VALUE);
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
}
