package io.cellpipe.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableComparatorTest {
    private static final TableSchema TABLE = new TableSchema(new TableId("public", "t"), List.of(
            new Column("id", ColumnType.of(ColumnKind.INT64, "bigint"), true),
            new Column("price", ColumnType.decimal(12, 2, "numeric(12,2)"), false),
            new Column("at", ColumnType.of(ColumnKind.TIMESTAMPTZ, "timestamptz"), false),
            new Column("ratio", ColumnType.of(ColumnKind.FLOAT64, "double precision"), false)));

    private static VerifyRow row(boolean deleted, String... values) {
        return new VerifyRow(Arrays.asList(values), deleted);
    }

    @Test
    void equalValuesSpelledDifferentlyMatch() {
        var result = new TableComparator(10).compare("c1", TABLE,
                List.of(row(false, "2", "1.50", "2024-01-01 10:00:00.5+00", "NaN"), row(false, "10", "3.00", "infinity", "1e+20")).iterator(),
                List.of(row(false, "2", "1.5", "2024-01-01 10:00:00.500000+00:00", "nan"), row(false, "10", "3", "infinity", "100000000000000000000.0"))
                        .iterator());
        assertThat(result.matches()).isTrue();
        assertThat(result.sourceRows()).isEqualTo(2);
    }

    @Test
    void reportsMissingExtraDeletedAndDifferentRowsInKeyOrder() {
        var result = new TableComparator(10).compare("c1", TABLE,
                List.of(row(false, "1", "1", null, "1"), row(false, "2", "1", null, "1"), row(false, "9", "1", null, "1"),
                        row(false, "10", "1", null, "1")).iterator(),
                List.of(row(false, "2", "2", null, "1"), row(false, "3", "1", null, "1"), row(true, "4", "1", null, "1"),
                        row(true, "9", "1", null, "1"), row(false, "10", "1", null, "1")).iterator());
        assertThat(result.differenceCount()).isEqualTo(4);
        assertThat(result.differences()).extracting(TableDifference::toString).containsExactly(
                "c1 public.t key 1: missing in the warehouse",
                "c1 public.t key 2: columns differ: price",
                "c1 public.t key 3: in the warehouse but not in the cell (a delete was not applied)",
                "c1 public.t key 9: marked deleted in the warehouse but present in the cell");
    }

    @Test
    void utf8OrderIsCodePointOrder() {
        assertThat(TableComparator.compareUtf8("a", "b")).isNegative();
        assertThat(TableComparator.compareUtf8("\uFFFD", "\uD83D\uDE00")).isNegative();
        assertThat(TableComparator.compareUtf8("ab", "a")).isPositive();
    }

    @Test
    void appendOnlyTablesCompareLiveRowsMinusDeletions() {
        TableSchema noKey = new TableSchema(new TableId("public", "events"), List.of(
                new Column("kind", ColumnType.of(ColumnKind.TEXT, "text"), false),
                new Column("n", ColumnType.of(ColumnKind.INT32, "integer"), false)));
        var matching = new TableComparator(10).compare("c1", noKey,
                List.of(row(false, "a", "1"), row(false, "a", "1"), row(false, "b", "3")).iterator(),
                List.of(row(false, "a", "1"), row(false, "a", "1"), row(false, "b", "2"), row(true, "b", "2"), row(false, "b", "3"),
                        row(false, "c", "9"), row(true, "c", "9")).iterator());
        assertThat(matching.matches()).isTrue();
        assertThat(matching.warehouseRows()).isEqualTo(3);

        var differing = new TableComparator(10).compare("c1", noKey,
                List.of(row(false, "a", "1"), row(false, "a", "1")).iterator(),
                List.of(row(false, "a", "1"), row(false, "z", "0")).iterator());
        assertThat(differing.differenceCount()).isEqualTo(2);
    }
}
