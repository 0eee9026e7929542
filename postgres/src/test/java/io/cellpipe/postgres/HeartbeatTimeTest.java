package io.cellpipe.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeartbeatTimeTest {
    @Test
    void readsTheCellClockFromAHeartbeatAndIgnoresOldEmptyOnes() {
        assertThat(ReplicationReader.heartbeatTime("1767225600123456".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
        assertThat(ReplicationReader.heartbeatTime(new byte[0])).isNull();
    }
}
