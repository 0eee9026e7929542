package io.cellpipe.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.ColumnKind;
import org.junit.jupiter.api.Test;

class StagedValueTest {
    @Test
    void movesTheEraWhereDuckDbReadsIt() {
        assertThat(StagedValue.of(ColumnKind.DATE, "0044-03-15 BC")).isEqualTo("0044-03-15 (BC)");
        assertThat(StagedValue.of(ColumnKind.TIMESTAMP, "0044-03-15 10:00:00.5 BC")).isEqualTo("0044-03-15 (BC) 10:00:00.5");
        assertThat(StagedValue.of(ColumnKind.TIMESTAMPTZ, "4713-11-24 00:00:00+00 BC")).isEqualTo("4713-11-24 (BC) 00:00:00+00");
        assertThat(StagedValue.of(ColumnKind.DATE, "2024-01-01")).isEqualTo("2024-01-01");
        assertThat(StagedValue.of(ColumnKind.TEXT, "ends in BC")).isEqualTo("ends in BC");
    }

    @Test
    void readsTheEraBack() {
        assertThat(StagedValue.fromDuckDb(ColumnKind.DATE, "0044-03-15 (BC)")).isEqualTo("0044-03-15 BC");
        assertThat(StagedValue.fromDuckDb(ColumnKind.TIMESTAMPTZ, "0044-03-15 (BC) 10:00:00+00")).isEqualTo("0044-03-15 10:00:00+00 BC");
        assertThat(StagedValue.fromDuckDb(ColumnKind.TIMESTAMP, "infinity")).isEqualTo("infinity");
    }

    @Test
    void rewritesIntervalsAndPassesNullThrough() {
        assertThat(StagedValue.of(ColumnKind.INTERVAL, "P1D")).isEqualTo("0 months 1 days 0 microseconds");
        assertThat(StagedValue.of(ColumnKind.INTERVAL, null)).isNull();
        assertThat(StagedValue.fromDuckDb(ColumnKind.DATE, null)).isNull();
    }
}
