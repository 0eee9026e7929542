package io.cellpipe.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.Operation;
import io.cellpipe.core.spi.CellState;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CellStatusTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void freshnessKeepsGrowingWhileNothingArrivesUnlikeTheLag() {
        CellStatus status = new CellStatus("cell-1");
        assertThat(status.report().freshnessSeconds(T0)).isNaN();

        status.applied(Lsn.parse("0/100"), T0, 3, T0.plusSeconds(2));
        CellReport applied = status.report();
        assertThat(applied.lagSeconds()).isEqualTo(2.0);
        assertThat(applied.freshnessSeconds(T0.plusSeconds(2))).isEqualTo(2.0);
        // nothing arrives: the lag stays, the freshness moves on
        assertThat(applied.freshnessSeconds(T0.plusSeconds(600))).isEqualTo(600.0);
        assertThat(applied.lagSeconds()).isEqualTo(2.0);

        // a heartbeat confirmed the warehouse current: freshness resets, an older time never moves it back
        status.currentAsOf(T0.plusSeconds(590));
        status.currentAsOf(T0.plusSeconds(10));
        assertThat(status.report().freshnessSeconds(T0.plusSeconds(600))).isEqualTo(10.0);
    }

    @Test
    void countsChangesPerTableAndOperationErrorsAndReconnects() {
        CellStatus status = new CellStatus("cell-1");
        status.runStarted();
        status.failed("boom");
        status.runStarted();
        status.recovered();
        status.tableApplied("public.a", Operation.INSERT, 5);
        status.tableApplied("public.a", Operation.INSERT, 2);
        status.tableApplied("public.a", Operation.DELETE, 1);
        CellReport report = status.report();
        assertThat(report.errors()).isEqualTo(1);
        assertThat(report.reconnects()).isEqualTo(1);
        assertThat(report.attempts()).isZero();
        assertThat(report.tableChanges()).isEqualTo(Map.of("public.a", Map.of(Operation.INSERT, 7L, Operation.DELETE, 1L)));
    }

    @Test
    void aNewSnapshotStartsItsProgressAfresh() {
        CellStatus status = new CellStatus("cell-1");
        status.state(CellState.SNAPSHOTTING, "copying");
        status.snapshotRows("public.a", 10, 100);
        status.snapshotRows("public.b", 5, -1);
        CellReport report = status.report();
        assertThat(report.snapshotRowsDone()).isEqualTo(15);
        assertThat(report.snapshotRowsEstimated()).isEqualTo(100);
        assertThat(report.snapshotStarted()).isNotNull();
        status.state(CellState.SNAPSHOTTING, "copying again");
        assertThat(status.report().snapshotRows()).isEmpty();
    }
}
