package io.cellpipe.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonImageTest {
    private static final TableSchema SCHEMA = new TableSchema(new TableId("public", "t"), List.of(
            new Column("id", ColumnType.of(ColumnKind.INT64, "bigint"), true),
            new Column("note", ColumnType.of(ColumnKind.TEXT, "text"), false),
            new Column("big", ColumnType.of(ColumnKind.TEXT, "text"), false)));

    @Test
    void writesPlainValuesAndNulls() {
        assertThat(JsonImage.of(SCHEMA, RowImage.of("1", "héllo wörld €", null)))
                .isEqualTo("{\"id\":\"1\",\"note\":\"héllo wörld €\",\"big\":null}");
        assertThat(JsonImage.of(SCHEMA, null)).isNull();
    }

    @Test
    void escapesQuotesBackslashesAndControlCharactersAnywhereInAValue() {
        String value = "\"a\\b\nc\rd\te\u0001f\u001f\"";
        assertThat(JsonImage.of(SCHEMA, RowImage.of("1", value, "")))
                .isEqualTo("{\"id\":\"1\",\"note\":\"\\\"a\\\\b\\nc\\rd\\te\\u0001f\\u001f\\\"\",\"big\":\"\"}");
    }

    @Test
    void writesOnlyTheKeyAndLeavesOutUnchangedToast() {
        assertThat(JsonImage.of(SCHEMA, RowImage.of("7", "x", "y"), new int[] {0})).isEqualTo("{\"id\":\"7\"}");
        RowImage toast = new RowImage(new String[] {"7", "x", null}, new boolean[] {false, false, true});
        assertThat(JsonImage.of(SCHEMA, toast)).isEqualTo("{\"id\":\"7\",\"note\":\"x\"}");
    }
}
