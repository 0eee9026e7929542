package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped alert rules use only metrics that exist and are documented. */
class AlertRulesTest {
    @Test
    void everyMetricInTheAlertRulesIsDocumented() throws Exception {
        Set<String> used = DocumentedMetrics.usedIn(Files.readString(Path.of("..", "deploy", "prometheus", "alerts.yml")));
        assertThat(used).isNotEmpty();
        assertThat(DocumentedMetrics.documented()).containsAll(used);
    }
}
