package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped Grafana dashboard is valid JSON whose queries use only documented metrics. */
class GrafanaDashboardTest {
    @Test
    void everyMetricTheDashboardQueriesIsDocumented() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("..", "deploy", "grafana", "cellpipe.json").toFile());
        assertThat(dashboard.path("title").asText()).isEqualTo("cellpipe");
        List<String> expressions = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique: %s", panel.path("title")).isTrue();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("targets")).as("panel %s has queries", panel.path("title")).isNotEmpty();
            panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText()));
        }
        dashboard.path("templating").path("list").forEach(variable -> expressions.add(variable.path("definition").asText()));

        Set<String> used = DocumentedMetrics.usedIn(String.join("\n", expressions));
        assertThat(used).contains("cellpipe_freshness_seconds", "cellpipe_slot_lag_bytes", "cellpipe_alerts_firing",
                "cellpipe_table_changes_applied_total");
        assertThat(DocumentedMetrics.documented()).containsAll(used);
    }
}
