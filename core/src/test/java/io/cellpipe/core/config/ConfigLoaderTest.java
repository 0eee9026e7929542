package io.cellpipe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellpipe.core.model.TableId;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader(Map.of("CELL1_PASSWORD", "s3cret")::get);

    private static final String MINIMAL = """
            pipeline: analytics
            cells:
              - id: cell-1
                url: jdbc:postgresql://127.0.0.1:5432/gitlab?user=cellpipe&password=${CELL1_PASSWORD}
            tables:
              include: ["public.*"]
              exclude: ["public.schema_migrations"]
            destination:
              duckdb:
                path: ./warehouse.duckdb
            """;

    @Test
    void readsTheMinimalConfiguration() {
        PipelineConfig config = loader.parse("cellpipe.yml", MINIMAL);
        assertThat(config.slotName()).isEqualTo("cellpipe_analytics");
        assertThat(config.cells()).singleElement().satisfies(cell -> {
            assertThat(cell.url()).endsWith("password=s3cret");
            assertThat(cell.safeUrl()).endsWith("password=***");
        });
        assertThat(config.tables().includes(new TableId("public", "users"))).isTrue();
        assertThat(config.tables().includes(new TableId("public", "schema_migrations"))).isFalse();
        assertThat(config.tables().includes(new TableId("audit", "users"))).isFalse();
        assertThat(config.destination().type()).isEqualTo("duckdb");
        assertThat(config.destination().options().string("path")).isEqualTo("./warehouse.duckdb");
        assertThat(config.capture()).isEqualTo(CaptureConfig.defaults());
    }

    @Test
    void rejectsAnUnknownKeyNamingItWithASuggestion() {
        assertThatThrownBy(() -> loader.parse("cellpipe.yml", MINIMAL.replace("  exclude:", "  exlude:")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cellpipe.yml: unknown key 'tables.exlude'; did you mean 'tables.exclude'?");
    }

    @Test
    void rejectsAnUnsetVariable() {
        assertThatThrownBy(() -> new ConfigLoader(Map.<String, String>of()::get).parse("cellpipe.yml", MINIMAL))
                .hasMessageContaining("cells[0].url refers to environment variable CELL1_PASSWORD, which is not set");
    }

    @Test
    void monitoringIsOptionalAndStrict() {
        assertThat(loader.parse("cellpipe.yml", MINIMAL).monitoring()).isEmpty();
        assertThat(loader.parse("cellpipe.yml", MINIMAL + "monitoring:\n  listen: 127.0.0.1:9187\n").monitoring())
                .contains(new MonitoringConfig("127.0.0.1", 9187));
        assertThat(loader.parse("cellpipe.yml", MINIMAL + "monitoring:\n  listen: \"[::1]:0\"\n").monitoring())
                .contains(new MonitoringConfig("::1", 0));
        assertThatThrownBy(() -> loader.parse("c.yml", MINIMAL + "monitoring:\n  listn: 127.0.0.1:9187\n"))
                .hasMessageContaining("unknown key 'monitoring.listn'; did you mean 'monitoring.listen'?");
        assertThatThrownBy(() -> loader.parse("c.yml", MINIMAL + "monitoring:\n  listen: 9187\n"))
                .hasMessageContaining("c.yml: monitoring.listen must be host:port");
        assertThatThrownBy(() -> loader.parse("c.yml", MINIMAL + "monitoring:\n  listen: 127.0.0.1:70000\n"))
                .hasMessageContaining("port must be between 0 and 65535");
    }

    @Test
    void adminTokenComesFromAVariableAndIsNeverPrinted() {
        String token = "0123456789abcdef0123456789abcdef";
        ConfigLoader withToken = new ConfigLoader(Map.of("CELL1_PASSWORD", "pw", "ADMIN_TOKEN", token, "SHORT", "short")::get);
        MonitoringConfig monitoring = withToken.parse("cellpipe.yml", MINIMAL + "monitoring:\n  listen: 127.0.0.1:9187\n  admin_token: ${ADMIN_TOKEN}\n")
                .monitoring().orElseThrow();
        assertThat(monitoring.token()).contains(token);
        assertThat(monitoring.toString()).doesNotContain(token);
        assertThatThrownBy(() -> withToken.parse("c.yml", MINIMAL + "monitoring:\n  listen: 127.0.0.1:9187\n  admin_token: ${SHORT}\n"))
                .hasMessageContaining("c.yml: monitoring.admin_token must be at least 16 bytes long")
                .hasMessageNotContaining("short");
    }

    @Test
    void rejectsBadValuesNamingTheKey() {
        assertThatThrownBy(() -> loader.parse("c.yml", MINIMAL + "capture:\n  heartbeat_interval: soon\n"))
                .hasMessageContaining("c.yml: capture.heartbeat_interval must be a duration");
        assertThatThrownBy(() -> loader.parse("c.yml", MINIMAL + "capture:\n  snapshot_parallelism: 0\n"))
                .hasMessageContaining("capture.snapshot_parallelism must be between 1 and 64, not 0");
        assertThatThrownBy(() -> loader.parse("c.yml", MINIMAL.replace("analytics", "Analytics!")))
                .hasMessageContaining("pipeline name 'Analytics!'");
        assertThatThrownBy(() -> loader.parse("c.yml", MINIMAL.replace("  duckdb:\n    path: ./warehouse.duckdb\n", "")))
                .hasMessageContaining("must name exactly one destination");
        assertThatThrownBy(() -> loader.parse("c.yml", "pipeline: [oops"))
                .hasMessageContaining("c.yml is not valid YAML");
    }

    @Test
    void readsRowFiltersAndTheirValuesFiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path values = java.nio.file.Files.writeString(dir.resolve("ids.csv"),
                "\uFEFFid,comment\n 10 ,first\n\n# skipped\n\"2\"\"0\",quoted\n10\n30");
        PipelineConfig config = loader.parse("cellpipe.yml", MINIMAL + """
                privacy:
                  row_filters:
                    "public.namespaces": { column: id, values_file: "%s" }
                    "public.issues": { where: "visibility_level = 20" }
                """.formatted(values));
        assertThat(config.privacy().rowFilter(new TableId("public", "namespaces")))
                .isEqualTo(new io.cellpipe.core.privacy.RowFilter.Values("id", values, java.util.List.of("10", "2\"0", "30")));
        assertThat(config.privacy().rowFilter(new TableId("public", "issues")))
                .isEqualTo(new io.cellpipe.core.privacy.RowFilter.Predicate("visibility_level = 20"));
        assertThat(config.privacy().rowFilter(new TableId("public", "users"))).isNull();

        assertThatThrownBy(() -> loader.parse("cellpipe.yml", MINIMAL + "privacy:\n  row_filters:\n    \"public.x\": { column: id }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("privacy.row_filters.\"public.x\"").hasMessageContaining("values_file");
        assertThatThrownBy(() -> loader.parse("cellpipe.yml", MINIMAL + "privacy:\n  row_filters:\n    \"public.x\": { where: a, column: b }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("use one");
        assertThatThrownBy(() -> loader.parse("cellpipe.yml", MINIMAL + "privacy:\n  row_filters:\n    \"public.*\": { where: a }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.table");
        assertThatThrownBy(() -> loader.parse("cellpipe.yml", MINIMAL + "privacy:\n  row_filters:\n    \"public.x\": { wher: a }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("did you mean 'privacy.row_filters.\"public.x\".where'");
        assertThatThrownBy(() -> loader.parse("cellpipe.yml", MINIMAL + "privacy:\n  row_filters:\n    \"public.x\": { column: id, values_file: \""
                + dir.resolve("missing.csv") + "\" }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("values_file").hasMessageContaining("NoSuchFileException");
        java.nio.file.Path empty = java.nio.file.Files.writeString(dir.resolve("empty.csv"), "id\n# none yet\n");
        assertThatThrownBy(() -> loader.parse("cellpipe.yml", MINIMAL + "privacy:\n  row_filters:\n    \"public.x\": { column: id, values_file: \""
                + empty + "\" }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lists no values");
    }

    @Test
    void rejectsDuplicateCells() {
        String twice = MINIMAL.replace("tables:", "  - id: cell-1\n    url: jdbc:postgresql://h/db\ntables:");
        assertThatThrownBy(() -> loader.parse("c.yml", twice)).hasMessageContaining("cell id 'cell-1' appears twice");
    }

    @Test
    void readsCaptureSettings() {
        PipelineConfig config = loader.parse("c.yml", MINIMAL + "capture:\n  heartbeat_interval: 2s\n  transaction_memory: 1MB\n");
        assertThat(config.capture().heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.capture().transactionMemory()).isEqualTo(1024 * 1024);
    }

    @Test
    void readsObjectivesAlertsAndLoggingWithDefaults() {
        PipelineConfig defaults = loader.parse("cellpipe.yml", MINIMAL);
        assertThat(defaults.slo().freshness()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.alerts()).isEqualTo(AlertsConfig.defaults());
        assertThat(defaults.logging().format()).isEqualTo(LoggingConfig.Format.TEXT);

        PipelineConfig config = loader.parse("cellpipe.yml", MINIMAL + """
                slo: { freshness: 90s }
                alerts:
                  interval: 5s
                  webhook:
                    url: https://hooks.example.com/T/${CELL1_PASSWORD}
                    headers: { Authorization: "Bearer ${CELL1_PASSWORD}" }
                logging: { format: json }
                """);
        assertThat(config.slo().freshness()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.alerts().interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.alerts().webhook()).hasValueSatisfying(webhook -> {
            assertThat(webhook.url().toString()).isEqualTo("https://hooks.example.com/T/s3cret");
            assertThat(webhook.headers()).containsEntry("Authorization", "Bearer s3cret");
            assertThat(webhook.timeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(webhook.maxAttempts()).isEqualTo(8);
            assertThat(webhook.toString()).doesNotContain("s3cret");
        });
        assertThat(config.logging().format()).isEqualTo(LoggingConfig.Format.JSON);
    }

    @Test
    void rejectsBadAlertAndLoggingSettingsWithoutShowingSecrets() {
        assertThatThrownBy(() -> loader.parse("cellpipe.yml", MINIMAL + "alerts:\n  webhook:\n    timeout: 5s\n"))
                .hasMessageContaining("alerts.webhook.url is required");
        assertThatThrownBy(() -> loader.parse("cellpipe.yml", MINIMAL + "alerts:\n  webhook:\n    url: \"ftp://x/${CELL1_PASSWORD}\"\n"))
                .hasMessageContaining("http:// or https://").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> loader.parse("cellpipe.yml", MINIMAL + "alerts:\n  webhook:\n    url: \"https://x/ ${CELL1_PASSWORD}\"\n"))
                .hasMessageContaining("alerts.webhook.url is not a valid URL").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> loader.parse("cellpipe.yml", MINIMAL + "logging:\n  format: xml\n"))
                .hasMessageContaining("logging.format must be text or json, not 'xml'");
        assertThatThrownBy(() -> loader.parse("cellpipe.yml", MINIMAL + "slo:\n  freshnes: 5m\n"))
                .hasMessageContaining("unknown key 'slo.freshnes'; did you mean 'slo.freshness'?");
    }
}
