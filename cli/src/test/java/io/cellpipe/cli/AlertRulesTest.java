package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped alert rules use only metrics that exist and are documented. */
class AlertRulesTest {
    private static final Pattern METRIC = Pattern.compile("cellpipe_[a-z_]+");
    private static final Pattern DOCUMENTED = Pattern.compile("^\\| `(cellpipe_[a-z_]+)", Pattern.MULTILINE);

    @Test
    void everyMetricInTheAlertRulesIsDocumented() throws Exception {
        String rules = Files.readString(Path.of("..", "deploy", "prometheus", "alerts.yml"));
        String operations = Files.readString(Path.of("..", "docs", "operations.md"));
        Set<String> used = new TreeSet<>();
        Matcher metrics = METRIC.matcher(rules);
        while (metrics.find()) {
            used.add(metrics.group());
        }
        Set<String> documented = new TreeSet<>();
        Matcher rows = DOCUMENTED.matcher(operations);
        while (rows.find()) {
            documented.add(rows.group(1));
        }
        assertThat(used).isNotEmpty();
        assertThat(documented).containsAll(used);
    }
}
