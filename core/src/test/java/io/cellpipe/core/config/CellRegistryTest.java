package io.cellpipe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellpipe.core.model.TableId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellRegistryTest {
    private static final RegistryConfig REGISTRY = new RegistryConfig(Path.of("cells.toml"),
            "jdbc:postgresql://{address}:5432/gitlabhq_production?user=cellpipe&password=pw", java.util.Optional.empty(), Duration.ofSeconds(2), false);

    private static final String TWO_CELLS = """
            [[cells]]
            id = 1
            address = "cell-1.example.com"
            [[cells.sequence_ranges]]
            minval = 1
            maxval = 999999999999

            [[cells]]
            id = 2
            address = "10.0.0.2:6432"
            region = "eu"
            [[cells.sequence_ranges]]
            minval = 1000000000000
            maxval = 1999999999999
            [[cells.sequence_ranges]]
            minval = 5000000000000
            maxval = 5999999999999
            """;

    @Test
    void readsCellsAndTheirRangesThroughTheDsnTemplate() {
        List<CellConfig> cells = CellRegistry.parse(REGISTRY, TWO_CELLS);
        assertThat(cells).extracting(CellConfig::id).containsExactly("1", "2");
        assertThat(cells.get(0).url()).isEqualTo("jdbc:postgresql://cell-1.example.com:5432/gitlabhq_production?user=cellpipe&password=pw");
        assertThat(cells.get(1).url()).startsWith("jdbc:postgresql://10.0.0.2:6432:5432/");
        assertThat(cells.get(1).sequenceRanges()).containsExactly(new SequenceRange(1_000_000_000_000L, 1_999_999_999_999L),
                new SequenceRange(5_000_000_000_000L, 5_999_999_999_999L));
        assertThat(cells.get(1).inRange(5_000_000_000_001L)).isTrue();
        assertThat(cells.get(1).inRange(42)).isFalse();
        assertThat(cells.get(0).inRange(42)).isTrue();
    }

    @Test
    void rejectsOverlappingRangesNamingBothCells() {
        String overlapping = TWO_CELLS.replace("minval = 1000000000000", "minval = 999999999000");
        assertThatThrownBy(() -> CellRegistry.parse(REGISTRY, overlapping))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cell registry cells.toml")
                .hasMessageContaining("cell 1 has 1..999999999999 and cell 2 has 999999999000..1999999999999");
    }

    @Test
    void rejectsMalformedEntriesNamingThem() {
        assertThatThrownBy(() -> CellRegistry.parse(REGISTRY, "[[cells]]\nid = 1\naddress = \"db; drop\"\n"))
                .hasMessageContaining("cells[0] (id 1): address must be a host name");
        assertThatThrownBy(() -> CellRegistry.parse(REGISTRY, "[[cells]]\naddress = \"a\"\n"))
                .hasMessageContaining("cells[0]: id is required");
        assertThatThrownBy(() -> CellRegistry.parse(REGISTRY, "[[cells]]\nid = 3\naddress = \"a\"\n[[cells.sequence_ranges]]\nminval = 5\n"))
                .hasMessageContaining("(id 3): every sequence range needs integer minval and maxval");
        assertThatThrownBy(() -> CellRegistry.parse(REGISTRY, "[[cells]\nid = 1"))
                .hasMessageContaining("is not valid TOML");
        assertThatThrownBy(() -> CellRegistry.parse(REGISTRY, TWO_CELLS.replace("id = 2", "id = 1")))
                .hasMessageContaining("cell id '1' appears twice");
        assertThatThrownBy(() -> CellRegistry.parse(REGISTRY, "[[cells]]\nid = 3\naddress = \"a\"\n[[cells.sequence_ranges]]\nminval = 9\nmaxval = 5\n"))
                .hasMessageContaining("minval 9 is greater than maxval 5");
    }

    @Test
    void theConfigurationNamesTheRegistryRelativeToItself(@TempDir Path directory) throws Exception {
        Files.writeString(directory.resolve("cells.toml"), TWO_CELLS);
        String yaml = """
                pipeline: analytics
                cells:
                  registry: cells.toml
                  dsn: "jdbc:postgresql://{address}/gitlab?user=cellpipe&password=${PW}"
                  watch_interval: 1s
                  on_remove: drop_slot
                identity:
                  globally_unique: [public.projects, public.namespaces]
                  saturation_alert: 85%
                  check_interval: 10s
                clusterwide:
                  static: [public.plans]
                  settings: [public.application_settings]
                destination:
                  duckdb:
                    path: ./warehouse.duckdb
                """;
        PipelineConfig config = new ConfigLoader(Map.of("PW", "secret")::get).parse(directory.resolve("cellpipe.yml").toString(), yaml);
        assertThat(config.cells()).extracting(CellConfig::url).containsExactly(
                "jdbc:postgresql://cell-1.example.com/gitlab?user=cellpipe&password=secret",
                "jdbc:postgresql://10.0.0.2:6432/gitlab?user=cellpipe&password=secret");
        assertThat(config.registry()).hasValueSatisfying(registry -> {
            assertThat(registry.file()).isEqualTo(directory.resolve("cells.toml"));
            assertThat(registry.watchInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(registry.dropSlotOnRemove()).isTrue();
        });
        assertThat(config.identity().globallyUnique()).containsExactly(TableId.parse("public.projects"), TableId.parse("public.namespaces"));
        assertThat(config.identity().saturationThreshold()).isEqualTo(0.85);
        assertThat(config.clusterwide().staticTables()).containsExactly(TableId.parse("public.plans"));
        assertThat(config.clusterwide().settingsTables()).containsExactly(TableId.parse("public.application_settings"));
    }

    @Test
    void inlineCellsMayCarryRangesAndMustNotOverlap() {
        String yaml = """
                pipeline: analytics
                cells:
                  - id: a
                    url: jdbc:postgresql://a/db
                    sequence_ranges: [{ minval: 1, maxval: 100 }]
                  - id: b
                    url: jdbc:postgresql://b/db
                    sequence_ranges: [{ minval: 100, maxval: 200 }]
                destination:
                  duckdb:
                    path: ./warehouse.duckdb
                """;
        assertThatThrownBy(() -> new ConfigLoader(name -> null).parse("cellpipe.yml", yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cellpipe.yml: sequence ranges overlap: cell a has 1..100 and cell b has 100..200");
        assertThatThrownBy(() -> new ConfigLoader(name -> null).parse("cellpipe.yml", yaml.replace("minval: 100,", "minval: 101,")
                + "clusterwide:\n  static: [public.plans]\n  settings: [public.plans]\n"))
                .hasMessageContaining("public.plans is listed both as static and as settings");
    }
}
