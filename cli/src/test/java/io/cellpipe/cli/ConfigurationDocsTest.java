package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.duckdb.DuckDbOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md and the code agree: the example loads, and every key read is documented and vice versa. */
class ConfigurationDocsTest {
    private static final Pattern EXAMPLE = Pattern.compile("## Full example\\s+```yaml\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern REGISTRY_EXAMPLE = Pattern.compile("## Cells from a registry.*?```yaml\\n(.*?)```\\s+```toml\\n(.*?)```",
            Pattern.DOTALL);
    private static final Pattern TABLE_KEY = Pattern.compile("^\\| `([a-z_.\\[\\]<>]+)` \\|", Pattern.MULTILINE);

    @Test
    void documentedKeysAreExactlyTheKeysTheCodeReads() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "configuration.md"));
        Matcher example = EXAMPLE.matcher(docs);
        assertThat(example.find()).as("docs/configuration.md has a full example").isTrue();

        Set<String> read = new TreeSet<>();
        PipelineConfig config = new ConfigLoader(name -> "a-secret-of-at-least-16-bytes", read::add).parse("docs/configuration.md", example.group(1));
        DuckDbOptions.from(config.destination().options());

        Matcher registryExample = REGISTRY_EXAMPLE.matcher(docs);
        assertThat(registryExample.find()).as("docs/configuration.md has a registry example").isTrue();
        Path directory = Files.createTempDirectory("registry-docs");
        Files.writeString(directory.resolve("cells.toml"), registryExample.group(2));
        PipelineConfig fromRegistry = new ConfigLoader(name -> "a-secret-of-at-least-16-bytes", read::add)
                .parse(directory.resolve("cellpipe.yml").toString(), registryExample.group(1));
        assertThat(fromRegistry.cells()).hasSize(2);

        Set<String> documented = new TreeSet<>();
        Matcher keys = TABLE_KEY.matcher(docs);
        while (keys.find()) {
            documented.add(keys.group(1));
        }
        assertThat(leaves(documented)).as("keys documented in docs/configuration.md").isEqualTo(leaves(read));
    }

    /** Without the sections that only hold other keys (cells, tables, destination.duckdb, ...). */
    private static Set<String> leaves(Set<String> keys) {
        Set<String> leaves = new TreeSet<>(keys);
        leaves.removeIf(key -> keys.stream().anyMatch(other -> other.startsWith(key + ".") || other.startsWith(key + "[")));
        return leaves;
    }
}
