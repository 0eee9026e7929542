package io.cellpipe.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CopyTextParserTest {
    private final CopyTextParser parser = new CopyTextParser();

    private String[] parse(String row, int columns) {
        return parser.parse(row.getBytes(StandardCharsets.UTF_8), columns);
    }

    @Test
    void splitsOnTabsAndReadsNulls() {
        assertThat(parse("1\t\\N\t\tZoë\n", 4)).containsExactly("1", null, "", "Zoë");
    }

    @Test
    void undoesEscapes() {
        assertThat(parse("a\\tb\\nc\\\\d\\r\\101\\x41\n", 1)).containsExactly("a\tb\nc\\d\rAA");
        assertThat(parse("\\\\x0a0b", 1)).containsExactly("\\x0a0b");
    }

    /** Plain fields are decoded straight from the row, escaped ones through the buffer; any mix splits the same. */
    @Test
    void mixesPlainAndEscapedFields() {
        assertThat(parse("\\N\tplain\ta\\tb\t\t\\\\\tZoë\\n\n", 6)).containsExactly(null, "plain", "a\tb", "", "\\", "Zoë\n");
        assertThat(parse("\t\n", 2)).containsExactly("", "");
        assertThat(parse("", 1)).containsExactly("");
    }

    @Test
    void rejectsAWrongFieldCount() {
        assertThatThrownBy(() -> parse("1\t2\n", 3)).hasMessageContaining("has 2 fields, expected 3");
        assertThatThrownBy(() -> parse("1\t2\t3\n", 2)).hasMessageContaining("more than 2 fields");
        assertThatThrownBy(() -> parse("1\t2\t\\\\\n", 2)).hasMessageContaining("more than 2 fields");
    }
}
