package io.cellpipe.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class JsonImageTest {
    private static final TableSchema SCHEMA = new TableSchema(new TableId("public", "t"), List.of(
            new Column("id", ColumnType.of(ColumnKind.INT64, "bigint"), true),
            new Column("note", ColumnType.of(ColumnKind.TEXT, "text"), false),
            new Column("big", ColumnType.of(ColumnKind.TEXT, "text"), false)));

    @Test
    void writesPlainValuesAndNulls() {
        assertThat(JsonImage.text(SCHEMA, RowImage.of("1", "héllo wörld €", null)))
                .isEqualTo("{\"id\":\"1\",\"note\":\"héllo wörld €\",\"big\":null}");
        assertThat(JsonImage.text(SCHEMA, null)).isNull();
    }

    @Test
    void escapesQuotesBackslashesAndControlCharactersAnywhereInAValue() {
        String value = "\"a\\b\nc\rd\te\u0001f\u001f\"";
        assertThat(JsonImage.text(SCHEMA, RowImage.of("1", value, "")))
                .isEqualTo("{\"id\":\"1\",\"note\":\"\\\"a\\\\b\\nc\\rd\\te\\u0001f\\u001f\\\"\",\"big\":\"\"}");
    }

    @Test
    void writesOnlyTheKeyAndLeavesOutUnchangedToast() {
        assertThat(JsonImage.text(SCHEMA, RowImage.of("7", "x", "y"), new int[] {0})).isEqualTo("{\"id\":\"7\"}");
        RowImage toast = new RowImage(new String[] {"7", "x", null}, new boolean[] {false, false, true});
        assertThat(JsonImage.text(SCHEMA, toast)).isEqualTo("{\"id\":\"7\",\"note\":\"x\"}");
    }

    @Test
    void encodesEveryPlaneAsUtf8AndALoneSurrogateAsAQuestionMark() {
        String value = "a\u00e9\u0800\uffff\ud83d\ude00z";
        assertThat(JsonImage.text(SCHEMA, RowImage.of("1", value, "\ud800x\udc00")))
                .isEqualTo("{\"id\":\"1\",\"note\":\"" + value + "\",\"big\":\"?x?\"}");
    }

    @Test
    void growsItsScratchSpaceForLargeValuesAndReusesIt() {
        JsonImage json = JsonImage.forShape(SCHEMA);
        JsonImage.Writer writer = new JsonImage.Writer();
        String large = "\u00e9\"".repeat(100_000);
        byte[] first = json.of(RowImage.of("1", large, null), writer);
        byte[] second = json.of(RowImage.of("2", "x", null), writer);
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"1\",\"note\":\"" + "\u00e9\\\"".repeat(100_000)
                + "\",\"big\":null}");
        assertThat(new String(second, StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"2\",\"note\":\"x\",\"big\":null}");
    }

    /** Random text of every kind of char, with one reused writer: a JSON parser reads back each value as it was. */
    @RepeatedTest(20)
    void anyTextReadsBackAsItWas(RepetitionInfo repetition) throws Exception {
        Random random = new Random(7919L * repetition.getCurrentRepetition());
        JsonImage json = JsonImage.forShape(SCHEMA);
        JsonImage.Writer writer = new JsonImage.Writer();
        ObjectMapper mapper = new ObjectMapper();
        for (int row = 0; row < 200; row++) {
            String note = randomText(random);
            String big = random.nextInt(5) == 0 ? null : randomText(random);
            JsonNode read = mapper.readTree(json.of(RowImage.of(Integer.toString(row), note, big), writer));
            assertThat(read.get("id").asText()).isEqualTo(Integer.toString(row));
            assertThat(read.get("note").asText()).isEqualTo(note);
            assertThat(read.get("big").isNull() ? null : read.get("big").asText()).isEqualTo(big);
        }
    }

    /** Chars from ASCII (controls, quotes, backslashes included), two- and three-byte UTF-8, and surrogate pairs. */
    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(random.nextInt(10) == 0 ? 5_000 : 40);
        while (text.length() < length) {
            switch (random.nextInt(6)) {
                case 0 -> text.append((char) random.nextInt(0x20));
                case 1 -> text.append(random.nextBoolean() ? '"' : '\\');
                case 2 -> text.append((char) (0x80 + random.nextInt(0x780)));
                case 3 -> text.append((char) (0x800 + random.nextInt(0xD800 - 0x800)));
                case 4 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
                default -> text.append((char) (0x20 + random.nextInt(0x60)));
            }
        }
        return text.toString();
    }
}
