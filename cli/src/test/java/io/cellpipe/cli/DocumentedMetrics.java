package io.cellpipe.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names docs/operations.md documents, and the cellpipe metric names a text uses. */
final class DocumentedMetrics {
    private static final Pattern METRIC = Pattern.compile("cellpipe_[a-z_]+");
    private static final Pattern DOCUMENTED = Pattern.compile("^\\| `(cellpipe_[a-z_]+)", Pattern.MULTILINE);

    private DocumentedMetrics() {
    }

    static Set<String> documented() throws IOException {
        String operations = Files.readString(Path.of("..", "docs", "operations.md"));
        Set<String> documented = new TreeSet<>();
        Matcher rows = DOCUMENTED.matcher(operations);
        while (rows.find()) {
            documented.add(rows.group(1));
        }
        return documented;
    }

    static Set<String> usedIn(String text) {
        Set<String> used = new TreeSet<>();
        Matcher metrics = METRIC.matcher(text);
        while (metrics.find()) {
            // the series of a histogram are documented under its name
            used.add(metrics.group().replaceAll("_seconds_(bucket|count|sum|max)$", "_seconds"));
        }
        return used;
    }
}
