package io.cellpipe.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StepQueueTest {
    @Test
    void stepsComeOutInTheOrderTheyWentIn() throws Exception {
        StepQueue queue = new StepQueue(10);
        BatchStep first = logRows(3);
        BatchStep second = new BatchStep.Failed(new IllegalStateException("x"));
        BatchStep third = logRows(4);
        assertThat(queue.put(first)).isTrue();
        assertThat(queue.put(second)).isTrue();
        assertThat(queue.put(third)).isTrue();

        assertThat(List.of(queue.take(), queue.take(), queue.take())).containsExactly(first, second, third);
    }

    @Test
    void aPutWaitsWhileTheQueuedRowsWouldPassTheLimit() throws Exception {
        StepQueue queue = new StepQueue(10);
        queue.put(logRows(8));
        Putter putter = Putter.start(queue, logRows(5));

        putter.awaitWaiting();
        assertThat(queue.take().rows()).isEqualTo(8);
        assertThat(putter.result()).isTrue();
        assertThat(queue.take().rows()).isEqualTo(5);
    }

    @Test
    void aStepLargerThanTheLimitIsQueuedAloneAndEvenAnEmptyStepWaitsBehindIt() throws Exception {
        StepQueue queue = new StepQueue(10);
        assertThat(queue.put(logRows(25))).isTrue();
        Putter putter = Putter.start(queue, new BatchStep.Done(Map.of(), Set.of()));

        putter.awaitWaiting();
        assertThat(queue.take().rows()).isEqualTo(25);
        assertThat(putter.result()).isTrue();
        assertThat(queue.take()).isInstanceOf(BatchStep.Done.class);
    }

    @Test
    void closingReleasesAWaitingPutAndRefusesTheRest() throws Exception {
        StepQueue queue = new StepQueue(10);
        queue.put(logRows(10));
        Putter putter = Putter.start(queue, logRows(1));
        putter.awaitWaiting();

        queue.close();

        assertThat(putter.result()).isFalse();
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.put(new BatchStep.Done(Map.of(), Set.of()))).isFalse();
    }

    @Test
    void onceThePreparingSideEndedTakeGivesWhatIsLeftThenNull() {
        StepQueue queue = new StepQueue(10);
        BatchStep last = logRows(2);
        put(queue, last);
        queue.preparingEnded();

        assertThat(queue.take()).isSameAs(last);
        assertThat(queue.take()).isNull();
    }

    @Test
    void aTakeWaitingWhenThePreparingSideEndsWithoutALastStepGetsNull() throws Exception {
        StepQueue queue = new StepQueue(10);
        AtomicReference<BatchStep> taken = new AtomicReference<>(logRows(1));
        Thread taker = Thread.ofPlatform().start(() -> taken.set(queue.take()));
        awaitWaiting(taker);

        queue.preparingEnded();

        taker.join(10_000);
        assertThat(taker.isAlive()).isFalse();
        assertThat(taken.get()).isNull();
    }

    @Test
    void anInterruptDoesNotEndATakeAndIsKept() throws Exception {
        StepQueue queue = new StepQueue(10);
        BatchStep step = logRows(1);
        AtomicReference<BatchStep> taken = new AtomicReference<>();
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        Thread taker = Thread.ofPlatform().start(() -> {
            taken.set(queue.take());
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        awaitWaiting(taker);

        taker.interrupt();
        awaitWaiting(taker);
        assertThat(taken.get()).isNull();
        put(queue, step);

        taker.join(10_000);
        assertThat(taken.get()).isSameAs(step);
        assertThat(interruptedAfter.get()).isTrue();
    }

    @Test
    void theRowLimitMustBePositive() {
        assertThatThrownBy(() -> new StepQueue(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rowLimit");
    }

    private static BatchStep logRows(int count) {
        List<ChangeLogWriter.Row> rows = new ArrayList<>(Collections.nCopies(count, null));
        return new BatchStep.LogRows(rows);
    }

    private static void put(StepQueue queue, BatchStep step) {
        try {
            assertThat(queue.put(step)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls until the thread waits on the queue's monitor (it does nothing else). */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (thread.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("thread %s waiting", thread.getName()).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /** A put on a thread of its own. */
    private record Putter(Thread thread, AtomicReference<Boolean> accepted) {
        static Putter start(StepQueue queue, BatchStep step) {
            AtomicReference<Boolean> accepted = new AtomicReference<>();
            Thread thread = Thread.ofPlatform().start(() -> {
                try {
                    accepted.set(queue.put(step));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return new Putter(thread, accepted);
        }

        void awaitWaiting() throws InterruptedException {
            StepQueueTest.awaitWaiting(thread);
        }

        Boolean result() throws InterruptedException {
            thread.join(10_000);
            assertThat(thread.isAlive()).isFalse();
            return accepted.get();
        }
    }
}
