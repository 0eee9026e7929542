package io.cellpipe.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import org.junit.jupiter.api.Test;

class ColumnEvolutionTest {
    @Test
    void decidesByWhatTheStoredTypeCanHold() {
        assertThat(ColumnEvolution.of("INTEGER", ColumnType.of(ColumnKind.INT32, "integer"))).isEqualTo(ColumnEvolution.SAME);
        assertThat(ColumnEvolution.of("INTEGER", ColumnType.of(ColumnKind.INT64, "bigint"))).isEqualTo(ColumnEvolution.WIDEN);
        assertThat(ColumnEvolution.of("BIGINT", ColumnType.of(ColumnKind.INT16, "smallint"))).isEqualTo(ColumnEvolution.KEEP);
        assertThat(ColumnEvolution.of("FLOAT", ColumnType.of(ColumnKind.FLOAT64, "double precision"))).isEqualTo(ColumnEvolution.WIDEN);
        assertThat(ColumnEvolution.of("DECIMAL(10,2)", ColumnType.decimal(12, 2, "numeric(12,2)"))).isEqualTo(ColumnEvolution.WIDEN);
        assertThat(ColumnEvolution.of("DECIMAL(10,2)", ColumnType.decimal(8, 1, "numeric(8,1)"))).isEqualTo(ColumnEvolution.KEEP);
        assertThat(ColumnEvolution.of("DECIMAL(10,2)", ColumnType.decimal(10, 4, "numeric(10,4)"))).isEqualTo(ColumnEvolution.INCOMPATIBLE);
        assertThat(ColumnEvolution.of("DECIMAL(10,2)", ColumnType.of(ColumnKind.NUMERIC_TEXT, "numeric"))).isEqualTo(ColumnEvolution.WIDEN);
        assertThat(ColumnEvolution.of("VARCHAR", ColumnType.decimal(10, 2, "numeric(10,2)"))).isEqualTo(ColumnEvolution.KEEP);
        assertThat(ColumnEvolution.of("VARCHAR", ColumnType.of(ColumnKind.NUMERIC_TEXT, "numeric"))).isEqualTo(ColumnEvolution.SAME);
        assertThat(ColumnEvolution.of("VARCHAR", ColumnType.of(ColumnKind.INT32, "integer"))).isEqualTo(ColumnEvolution.INCOMPATIBLE);
        assertThat(ColumnEvolution.of("TIMESTAMP", ColumnType.of(ColumnKind.TIMESTAMPTZ, "timestamptz"))).isEqualTo(ColumnEvolution.INCOMPATIBLE);
        assertThat(ColumnEvolution.of("HUGEINT", ColumnType.of(ColumnKind.INT64, "bigint"))).isEqualTo(ColumnEvolution.INCOMPATIBLE);
    }

    @Test
    void everyKindMapsBackToItself() {
        for (ColumnKind kind : ColumnKind.values()) {
            ColumnType type = kind == ColumnKind.DECIMAL ? ColumnType.decimal(20, 5, "numeric(20,5)") : ColumnType.of(kind, "x");
            assertThat(ColumnEvolution.of(DuckDbTypes.sqlType(type), type)).as(kind.name()).isEqualTo(ColumnEvolution.SAME);
            assertThat(DuckDbTypes.storedKinds(DuckDbTypes.sqlType(type))).as(kind.name())
                    .anySatisfy(stored -> assertThat(stored.kind()).isEqualTo(kind));
        }
    }
}
