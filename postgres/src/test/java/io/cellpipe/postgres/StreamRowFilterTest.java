package io.cellpipe.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.spi.CaptureException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamRowFilterTest {
    private static final TableSchema PROJECTS = new TableSchema(new TableId("public", "projects"), List.of(
            new Column("id", ColumnType.of(ColumnKind.INT64, "bigint"), true),
            new Column("namespace_id", ColumnType.of(ColumnKind.INT64, "bigint"), false),
            new Column("name", ColumnType.of(ColumnKind.TEXT, "text"), false)));
    private static final CellRowFilters.InProcess INTERNAL = new CellRowFilters.InProcess("namespace_id", Set.of("10", "20"));

    private static PgoutputMessage.Relation relation(char replicaIdentity) {
        return new PgoutputMessage.Relation(0, 1, "public", "projects", replicaIdentity, List.of(
                new PgoutputMessage.RelationColumn("id", true, 20, -1), new PgoutputMessage.RelationColumn("namespace_id", false, 20, -1),
                new PgoutputMessage.RelationColumn("name", false, 25, -1)));
    }

    @Test
    void withTheOldValueKnownAnUpdateLeavingTheFilterIsADeleteAndOneOutsideIsSkipped() {
        StreamRowFilter filter = StreamRowFilter.of("cell-1", INTERNAL, PROJECTS, relation('f'));
        assertThat(filter.admits(RowImage.of("1", "10", "a"))).isTrue();
        assertThat(filter.admits(RowImage.of("1", "40", "a"))).isFalse();
        assertThat(filter.admits(RowImage.of("1", null, "a"))).isFalse();
        assertThat(filter.update(RowImage.of("1", "10", "a"), RowImage.of("1", "20", "a"))).isEqualTo(StreamRowFilter.Decision.KEEP);
        assertThat(filter.update(RowImage.of("1", "40", "a"), RowImage.of("1", "10", "a"))).isEqualTo(StreamRowFilter.Decision.INSERT);
        RowImage unchangedName = new RowImage(new String[] {"1", "10", null}, new boolean[] {false, false, true});
        assertThat(StreamRowFilter.entering(RowImage.of("1", "40", "long text"), unchangedName)).isEqualTo(RowImage.of("1", "10", "long text"));
        assertThat(filter.update(RowImage.of("1", "10", "a"), RowImage.of("1", "40", "a"))).isEqualTo(StreamRowFilter.Decision.DELETE);
        assertThat(filter.update(RowImage.of("1", "40", "a"), RowImage.of("1", "50", "b"))).isEqualTo(StreamRowFilter.Decision.SKIP);
        assertThat(filter.delete(RowImage.of("1", "40", "a"))).isEqualTo(StreamRowFilter.Decision.SKIP);
        assertThat(filter.delete(RowImage.of("1", "10", "a"))).isEqualTo(StreamRowFilter.Decision.KEEP);
    }

    @Test
    void withOnlyTheKeyLoggedAnUpdateOutsideIsADeleteOfItsKeyAndDeletesPass() {
        StreamRowFilter filter = StreamRowFilter.of("cell-1", INTERNAL, PROJECTS, relation('d'));
        assertThat(filter.update(null, RowImage.of("1", "40", "a"))).isEqualTo(StreamRowFilter.Decision.DELETE);
        assertThat(filter.update(RowImage.of("0", null, null), RowImage.of("1", "40", "a"))).isEqualTo(StreamRowFilter.Decision.DELETE);
        assertThat(filter.delete(RowImage.of("1", null, null))).isEqualTo(StreamRowFilter.Decision.KEEP);
        assertThat(StreamRowFilter.keyOf(PROJECTS, RowImage.of("1", "40", "outside"))).isEqualTo(RowImage.of("1", null, null));
    }

    @Test
    void noFilterOrAMissingColumn() {
        assertThat(StreamRowFilter.of("cell-1", null, PROJECTS, relation('d'))).isNull();
        assertThatThrownBy(() -> StreamRowFilter.of("cell-1", new CellRowFilters.InProcess("group_id", Set.of("1")), PROJECTS, relation('d')))
                .isInstanceOf(CaptureException.class).hasMessageContaining("group_id").hasMessageContaining("privacy.row_filters");
    }
}
