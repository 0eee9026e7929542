package io.cellpipe.cli;

import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static io.cellpipe.cli.PipelineHarness.catchUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.DemoSchema;
import io.cellpipe.testing.EmbeddedCell;
import io.cellpipe.testing.Workload;
import io.cellpipe.testing.WorkloadOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cellpipe verify --by-range} finds injected corruption (a changed value, a missing row, a row the
 * cell does not have) through per-range checksums, and {@code --repair} re-reads exactly those ranges.
 */
class VerifyByRangeIT {
    private static final WorkloadOptions SMALL = WorkloadOptions.forTests().withLargeTransactionAt(WorkloadOptions.NEVER);
    private static final String PRIVACY = """
            privacy:
              keys:
                default: "verify-by-range-it-key-0123456789"
              columns:
                "public.merge_requests.external_id": hash
                "public.users.email": hash
            """;

    @Test
    void findsAndRepairsCorruptionByKeyRange(@TempDir Path dir) throws Exception {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            try (Connection connection = cell.connect()) {
                DemoSchema.create(connection);
                new Workload(connection, 1, SMALL).run(300);
            }
            Path warehouse = dir.resolve("w.duckdb");
            String yaml = PipelineHarness.yaml(warehouse, List.of(cell), PRIVACY);
            Path file = dir.resolve("cellpipe.yml");
            Files.writeString(file, yaml);
            PipelineConfig config = new ConfigLoader(System::getenv).parse(file.toString(), yaml);
            try (Destination destination = Assembly.destination(config.destination());
                    Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, "cell-1", Duration.ofSeconds(60));
                catchUp(pipeline, List.of(cell), Duration.ofSeconds(60));
            }

            String clean = verify(file, "--by-range", "--rows-per-range", "20");
            assertThat(clean).contains("warehouse matches sources");

            ResyncIT.corrupt(warehouse);
            String found = verify(file, "--by-range", "--rows-per-range", "20");
            assertThat(found).contains("public.merge_requests: 3 differences").contains("columns differ: title")
                    .contains("missing in the warehouse").contains("in the warehouse but not in the cell").contains("MISMATCH");

            String repaired = verify(file, "--by-range", "--rows-per-range", "20", "--repair");
            assertThat(repaired).contains("verify: repairing cell-1 public.merge_requests key from [")
                    .doesNotContain("(whole table)").contains("resync: done");
            assertThat(repaired.substring(repaired.indexOf("verifying again"))).contains("warehouse matches sources");
            assertThat(verify(file)).contains("warehouse matches sources");
        }
    }

    private static String verify(Path config, String... options) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            String[] args = new String[options.length + 3];
            args[0] = "verify";
            args[1] = "--config";
            args[2] = config.toString();
            System.arraycopy(options, 0, args, 3, options.length);
            Main.commandLine().execute(args);
        } finally {
            System.setOut(original);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        return output;
    }
}
