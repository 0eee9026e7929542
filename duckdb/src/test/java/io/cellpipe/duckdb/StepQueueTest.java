package io.cellpipe.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> put(queue, logRows(5)));

        Thread.sleep(100);
        assertThat(blocked).isNotDone();
        assertThat(queue.take().rows()).isEqualTo(8);
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(queue.take().rows()).isEqualTo(5);
    }

    @Test
    void aStepLargerThanTheLimitGoesAlone() throws Exception {
        StepQueue queue = new StepQueue(10);
        assertThat(queue.put(logRows(25))).isTrue();
        CompletableFuture<Boolean> next = CompletableFuture.supplyAsync(() -> put(queue, logRows(1)));

        Thread.sleep(100);
        assertThat(next).isNotDone();
        queue.take();
        assertThat(next.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void closingReleasesAWaitingPutAndRefusesTheRest() throws Exception {
        StepQueue queue = new StepQueue(10);
        queue.put(logRows(10));
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> put(queue, logRows(1)));
        Thread.sleep(100);

        queue.close();

        assertThat(blocked.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.put(new BatchStep.Done(Map.of(), Set.of()))).isFalse();
    }

    @Test
    void theRowLimitMustBePositive() {
        assertThatThrownBy(() -> new StepQueue(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rowLimit");
    }

    private static BatchStep logRows(int count) {
        List<ChangeLogWriter.Row> rows = new ArrayList<>(Collections.nCopies(count, null));
        return new BatchStep.LogRows(rows);
    }

    private static boolean put(StepQueue queue, BatchStep step) {
        try {
            return queue.put(step);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
