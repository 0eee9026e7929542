package io.cellpipe.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.privacy.ColumnPolicies;
import io.cellpipe.core.privacy.TablePolicy;
import io.cellpipe.core.spi.BinaryForm;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Policies applied to binary COPY tuples give the tuples of the policies applied to the rows'
 * values; fields of kept columns pass byte for byte, whatever their form.
 */
class BinaryPolicyRewriterTest {
    private static final TableSchema USERS = new TableSchema(new TableId("public", "users"), List.of(
            new Column("id", ColumnType.of(ColumnKind.INT64, "bigint"), true),
            new Column("email", ColumnType.of(ColumnKind.TEXT, "text"), false),
            new Column("encrypted_password", ColumnType.of(ColumnKind.TEXT, "text"), false),
            new Column("note", ColumnType.of(ColumnKind.TEXT, "text"), false),
            new Column("name", ColumnType.of(ColumnKind.TEXT, "character varying(40)"), false),
            new Column("age", ColumnType.of(ColumnKind.INT32, "integer"), false)));

    private static final String CONFIG = """
            pipeline: analytics
            cells:
              - id: cell-1
                url: jdbc:postgresql://127.0.0.1:5432/app
            destination:
              duckdb:
                path: ./warehouse.duckdb
            privacy:
              keys:
                default: ${HASH_KEY}
              columns:
                "public.users.email": hash
                "public.users.encrypted_password": drop
                "public.users.name": redact
                "public.users.age": redact
            """;

    private static final TablePolicy POLICY = new ColumnPolicies(new ConfigLoader(Map.of("HASH_KEY", "default-key-0123456789abcdef")::get)
            .parse("cellpipe.yml", CONFIG).privacy()).forTable(USERS);

    @Test
    void transformedColumnsTravelAsText() {
        assertThat(POLICY.schema().columns()).extracting(Column::name).containsExactly("id", "email", "note", "name", "age");
        assertThat(POLICY.schema().columns()).extracting(column -> BinaryForm.of(column.type()))
                .containsExactly(BinaryForm.INT64, BinaryForm.TEXT, BinaryForm.TEXT, BinaryForm.TEXT, BinaryForm.TEXT);
        assertThat(POLICY.schema().columns()).extracting(column -> BinaryForm.binaryIsText(column.type()))
                .containsExactly(false, false, true, false, false);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void rewrittenTuplesAreThePoliciesAppliedToTheValues(long seed) {
        Random random = new Random(seed);
        String alphabet = "ab,\"\n\r\\N. é😀\t";
        BinaryPolicyRewriter rewriter = new BinaryPolicyRewriter(POLICY);
        for (int i = 0; i < 2_000; i++) {
            String[] values = new String[5];
            values[0] = Integer.toString(i);
            for (int c = 1; c < values.length; c++) {
                if (random.nextInt(5) == 0) {
                    continue;
                }
                StringBuilder value = new StringBuilder();
                int length = random.nextInt(6);
                for (int k = 0; k < length; k++) {
                    int codePoints = alphabet.codePointCount(0, alphabet.length());
                    value.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(codePoints))));
                }
                values[c] = c == 4 ? Integer.toString(random.nextInt(120)) : value.toString();
            }
            RowImage expected = POLICY.apply(RowImage.of(values[0], values[1], "secret", values[2], values[3], values[4]));
            byte[] id = ByteBuffer.allocate(8).putLong(i).array();
            int offset = random.nextInt(3);
            byte[] tuple = tuple(offset, id, text(values[1]), text(values[2]), text(values[3]), text(values[4]));

            byte[] rewritten = rewriter.rewrite(tuple, offset, tuple.length - offset);

            assertThat(rewritten).as("row %d", i).isEqualTo(tuple(0, id, text(expected.value(1)), text(expected.value(2)),
                    text(expected.value(3)), text(expected.value(4))));
        }
    }

    @Test
    void tuplesOfAnotherShapeAreRefused() {
        BinaryPolicyRewriter rewriter = new BinaryPolicyRewriter(POLICY);
        byte[] four = tuple(0, new byte[8], text("a"), text("b"), text("c"));
        byte[] cut = tuple(0, new byte[8], text("a"), text("b"), text("c"), text("d"));
        byte[] longer = Arrays.copyOf(cut, cut.length + 1);

        assertThatThrownBy(() -> rewriter.rewrite(four, 0, four.length)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not have the table's 5 fields");
        assertThatThrownBy(() -> rewriter.rewrite(cut, 0, cut.length - 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("of 1 bytes where 0 remain");
        assertThatThrownBy(() -> rewriter.rewrite(longer, 0, longer.length)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 bytes after its last field");
    }

    @Test
    void theHeaderOfABinaryCopyIsSkipped() {
        byte[] header = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 2, 'x', 'y', 0, 1};
        assertThat(BinaryCopyHeader.length(header)).isEqualTo(21);
        byte[] withOids = header.clone();
        withOids[12] = 1;
        assertThatThrownBy(() -> BinaryCopyHeader.length(withOids)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not read");
        assertThatThrownBy(() -> BinaryCopyHeader.length("PGCOPY\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("signature");
    }

    private static byte[] text(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    /** A binary COPY tuple after {@code offset} bytes of something else: the field count, then each field's length and bytes. */
    private static byte[] tuple(int offset, byte[]... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[offset], 0, offset);
        out.write(fields.length >>> 8);
        out.write(fields.length);
        for (byte[] field : fields) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(field == null ? -1 : field.length).array());
            if (field != null) {
                out.writeBytes(field);
            }
        }
        return out.toByteArray();
    }
}
