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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Policies applied to PostgreSQL's CSV rows give the CSV of the policies applied to the rows' values. */
class CsvPolicyRewriterTest {
    private static final TableSchema USERS = new TableSchema(new TableId("public", "users"), List.of(
            new Column("id", ColumnType.of(ColumnKind.INT64, "bigint"), true),
            new Column("email", ColumnType.of(ColumnKind.TEXT, "text"), false),
            new Column("encrypted_password", ColumnType.of(ColumnKind.TEXT, "text"), false),
            new Column("note", ColumnType.of(ColumnKind.TEXT, "text"), false),
            new Column("name", ColumnType.of(ColumnKind.TEXT, "text"), false)));

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
            """;

    private static final TablePolicy POLICY = new ColumnPolicies(new ConfigLoader(Map.of("HASH_KEY", "default-key-0123456789abcdef")::get)
            .parse("cellpipe.yml", CONFIG).privacy()).forTable(USERS);

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void rewrittenRowsAreThePoliciesAppliedToTheValues(long seed) throws IOException {
        assertThat(POLICY.schema().columns()).extracting(Column::name).containsExactly("id", "email", "note", "name");
        Random random = new Random(seed);
        String alphabet = "ab,\"\n\r\\N. é😀\t";
        CsvPolicyRewriter rewriter = new CsvPolicyRewriter(POLICY);
        for (int i = 0; i < 2_000; i++) {
            String[] values = new String[4];
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
                values[c] = value.toString();
            }
            RowImage expected = POLICY.apply(RowImage.of(source(values)));
            String[] applied = new String[4];
            for (int c = 0; c < applied.length; c++) {
                applied[c] = expected.value(c);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            rewriter.write(postgresCsv(values).getBytes(StandardCharsets.UTF_8), out);
            assertThat(out.toString(StandardCharsets.UTF_8)).as("row %d", i).isEqualTo(postgresCsv(applied));
        }
    }

    @Test
    void rowsOfAnotherWidthAreRefused() {
        CsvPolicyRewriter rewriter = new CsvPolicyRewriter(POLICY);
        assertThatThrownBy(() -> rewriter.write("1,a@b.c,note\n".getBytes(StandardCharsets.UTF_8), new ByteArrayOutputStream()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("3 fields, expected 4");
        assertThatThrownBy(() -> rewriter.write("1,a@b.c,note,name,extra\n".getBytes(StandardCharsets.UTF_8), new ByteArrayOutputStream()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("more than 4 fields");
        assertThatThrownBy(() -> rewriter.write("1,\"a@b.c,note,name\n".getBytes(StandardCharsets.UTF_8), new ByteArrayOutputStream()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not closed");
    }

    /** The source row of a row of the policy's schema: the dropped password between email and note. */
    private static String[] source(String[] values) {
        return new String[] {values[0], values[1], "secret", values[2], values[3]};
    }

    /** A row as {@code COPY ... TO STDOUT (FORMAT csv)} writes it. */
    private static String postgresCsv(String[] row) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            String value = row[i];
            if (value == null) {
                continue;
            }
            boolean quote = value.isEmpty() || value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
            line.append(quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value);
        }
        return line.append('\n').toString();
    }
}
