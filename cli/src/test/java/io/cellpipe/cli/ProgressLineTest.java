package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.spi.CellState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void aSnapshotShowsRowsOfTheEstimateRateAndTimeLeft() {
        CellReport report = snapshotting("cell-1", 100_000, 400_000);
        assertThat(ProgressLine.of(report, NOW)).isEqualTo("cell-1 snapshotting 100,000 of ~400,000 rows (25%), 10,000 rows/s, ETA 30s");
        assertThat(ProgressLine.bar(List.of(report), NOW)).isEqualTo("[#####---------------]");
        assertThat(TerminalProgress.line(List.of(report), NOW))
                .isEqualTo("snapshot cell-1 [#####---------------] 100,000 of ~400,000 rows (25%), 10,000 rows/s, ETA 30s");
    }

    @Test
    void withoutAnEstimateThereIsNoBarOrEtaAndSeveralCellsAreSummedUp() {
        CellReport unknown = snapshotting("cell-1", 5_000, 0);
        assertThat(ProgressLine.of(unknown, NOW)).isEqualTo("cell-1 snapshotting 5,000 rows copied, 500 rows/s");
        assertThat(ProgressLine.bar(List.of(unknown), NOW)).isEmpty();
        CellReport other = snapshotting("cell-2", 100_000, 100_000);
        assertThat(TerminalProgress.line(List.of(unknown, other), NOW))
                .isEqualTo("snapshot 2 cells [####################] 105,000 of ~100,000 rows (100%), 10,500 rows/s");
    }

    @Test
    void nothingIsDrawnWhileNoCellTakesASnapshot() {
        CellReport streaming = new CellReport("cell-1", CellState.STREAMING, "streaming", null, 0, Lsn.ZERO, NOW, 10, 1, 0.5, Map.of(),
                Map.of(), NOW, 0, 0, Map.of(), Map.of(), null);
        assertThat(TerminalProgress.line(List.of(streaming), NOW)).isEmpty();
    }

    private static CellReport snapshotting(String cell, long done, long estimated) {
        return new CellReport(cell, CellState.SNAPSHOTTING, "copying", null, 0, Lsn.ZERO, null, 0, 0, 0, Map.of("public.a", done),
                Map.of(), null, 0, 0, Map.of(), estimated > 0 ? Map.of("public.a", estimated) : Map.of(), NOW.minusSeconds(10));
    }
}
