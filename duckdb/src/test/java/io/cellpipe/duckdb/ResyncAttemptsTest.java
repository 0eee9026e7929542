package io.cellpipe.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.spi.Resync;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resync whose chunks keep failing is given up, with the last reason, after a bounded number of attempts, across reopenings. */
class ResyncAttemptsTest {
    @TempDir
    Path directory;

    @Test
    void givesUpAfterTheMaximumOfFailedAttempts() {
        Path file = directory.resolve("w.duckdb");
        Resync request = Resync.request("cell-1", "public.users", null, 100, "test");
        try (DuckDbDestination destination = new DuckDbDestination(DuckDbOptions.of(file))) {
            destination.requestResync(request);
            for (int attempt = 1; attempt < Resync.MAX_FAILED_ATTEMPTS - 1; attempt++) {
                assertThat(destination.recordResyncFailure(request.id(), "chunk failed " + attempt)).isFalse();
            }
        }
        try (DuckDbDestination destination = new DuckDbDestination(DuckDbOptions.of(file))) {
            assertThat(destination.recordResyncFailure(request.id(), "chunk failed again")).isFalse();
            Resync pending = destination.resyncs().get(0);
            assertThat(pending.state()).isEqualTo(Resync.State.PENDING);
            assertThat(pending.detail()).isEqualTo("chunk failed again");
            assertThat(destination.recordResyncFailure(request.id(), "disk full")).isTrue();
            Resync failed = destination.resyncs().get(0);
            assertThat(failed.state()).isEqualTo(Resync.State.FAILED);
            assertThat(failed.detail()).isEqualTo("gave up after " + Resync.MAX_FAILED_ATTEMPTS + " failed attempts; the last: disk full");
            assertThat(destination.recordResyncFailure(request.id(), "later")).as("a finished resync stays as it is").isFalse();
        }
    }
}
