package io.cellpipe.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import org.junit.jupiter.api.Test;

/** A built-in type travels in its own binary form under its own name only; anything else as its text. */
class BinaryFormTest {
    @Test
    void builtInTypesTravelInTheirOwnForm() {
        assertThat(BinaryForm.of(ColumnType.of(ColumnKind.INT32, "integer"))).isEqualTo(BinaryForm.INT32);
        assertThat(BinaryForm.of(ColumnType.decimal(12, 2, "numeric(12,2)"))).isEqualTo(BinaryForm.NUMERIC);
        assertThat(BinaryForm.of(ColumnType.of(ColumnKind.TIMESTAMPTZ, "timestamp with time zone"))).isEqualTo(BinaryForm.TIMESTAMP);
        assertThat(BinaryForm.of(ColumnType.of(ColumnKind.JSON, "jsonb"))).isEqualTo(BinaryForm.JSONB);
        assertThat(BinaryForm.of(ColumnType.of(ColumnKind.BYTES, "bytea"))).isEqualTo(BinaryForm.BYTES);
    }

    @Test
    void domainsPoliciesAndOtherTypesTravelAsText() {
        assertThat(BinaryForm.of(ColumnType.of(ColumnKind.INT32, "positive_int"))).isEqualTo(BinaryForm.TEXT);
        assertThat(BinaryForm.of(ColumnType.of(ColumnKind.INT64, "redact(bigint)"))).isEqualTo(BinaryForm.TEXT);
        assertThat(BinaryForm.of(ColumnType.of(ColumnKind.INT64, "oid"))).isEqualTo(BinaryForm.TEXT);
        assertThat(BinaryForm.of(ColumnType.of(ColumnKind.JSON, "json"))).isEqualTo(BinaryForm.TEXT);
        assertThat(BinaryForm.of(ColumnType.of(ColumnKind.TIME, "time without time zone"))).isEqualTo(BinaryForm.TEXT);
        assertThat(BinaryForm.of(ColumnType.of(ColumnKind.TEXT, "integer[]"))).isEqualTo(BinaryForm.TEXT);
    }

    @Test
    void onlyScalarTextTypesAreSelectedAsTheyAre() {
        for (String name : new String[] {"text", "name", "character varying", "character varying(20)", "character", "character(3)"}) {
            assertThat(BinaryForm.binaryIsText(ColumnType.of(ColumnKind.TEXT, name))).as(name).isTrue();
        }
        assertThat(BinaryForm.binaryIsText(ColumnType.of(ColumnKind.JSON, "json"))).isTrue();
        for (String name : new String[] {"character varying[]", "character[]", "character(2)[]", "text[]", "mood", "hash:default(text)",
            "redact(character varying(40))", "citext"}) {
            assertThat(BinaryForm.binaryIsText(ColumnType.of(ColumnKind.TEXT, name))).as(name).isFalse();
        }
        assertThat(BinaryForm.binaryIsText(ColumnType.of(ColumnKind.JSON, "jsonb"))).isFalse();
    }
}
