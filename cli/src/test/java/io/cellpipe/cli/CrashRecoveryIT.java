package io.cellpipe.cli;

import static io.cellpipe.cli.PipelineHarness.assertMatches;
import static io.cellpipe.cli.PipelineHarness.catchUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.BackgroundWorkload;
import io.cellpipe.testing.DemoSchema;
import io.cellpipe.testing.EmbeddedCell;
import io.cellpipe.testing.Workload;
import io.cellpipe.testing.WorkloadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the pipeline with SIGKILL (a child JVM) again and again, during the snapshot and while
 * streaming, under a randomized workload on two cells; afterwards the warehouse must hold every
 * change exactly once.
 */
class CrashRecoveryIT {
    private static final long SEED = 20261121L;

    @Test
    void survivesRepeatedKillNine(@TempDir Path dir) throws Exception {
        Random random = new Random(SEED);
        List<EmbeddedCell> cells = List.of(EmbeddedCell.builder().setting("logical_decoding_work_mem", "64kB").start(), EmbeddedCell.start());
        List<BackgroundWorkload> workloads = new ArrayList<>();
        try {
            for (int i = 0; i < cells.size(); i++) {
                try (Connection connection = cells.get(i).connect()) {
                    DemoSchema.create(connection);
                    new Workload(connection, SEED + i, WorkloadOptions.forTests().withLargeTransactionAt(0)
                            .withLargeTransactionRows(200_000)).run(2_000);
                }
            }
            Path warehouse = dir.resolve("w.duckdb");
            Path configFile = dir.resolve("cellpipe.yml");
            Files.writeString(configFile, PipelineHarness.yaml(warehouse, cells, ""));
            for (EmbeddedCell cell : cells) {
                workloads.add(new Workload(cell.connect(), random.nextLong(), WorkloadOptions.forTests().withOperationsPerSecond(200)
                        .withLargeTransactionAt(500).withTruncateAt(WorkloadOptions.NEVER)).startInBackground());
            }
            int killedWhileCopying = 0;
            int killedWhileStreaming = 0;
            for (int round = 0; round < 5; round++) {
                Process child = startChild(configFile, dir.resolve("child-" + round + ".log"));
                Path logFile = dir.resolve("child-" + round + ".log");
                if (round < 2) {
                    // The first rounds die inside the snapshot, at a random point of the copy.
                    awaitLine(logFile, "copying", child);
                    Thread.sleep(random.nextInt(400));
                } else {
                    // The later rounds die while streaming: once the snapshot is done (however long a loaded machine takes), at a random point.
                    awaitLine(logFile, "streaming from", child);
                    Thread.sleep(random.nextInt(3_000));
                }
                String log = Files.readString(logFile);
                assertThat(child.isAlive()).as("child %d alive before the kill; log: %s", round, log).isTrue();
                child.destroyForcibly().waitFor();
                if (log.contains("streaming from")) {
                    killedWhileStreaming++;
                } else {
                    killedWhileCopying++;
                }
            }
            for (BackgroundWorkload workload : workloads) {
                assertThat(workload.stop().operations()).isPositive();
            }
            PipelineConfig config = new ConfigLoader(System::getenv).load(configFile);
            try (Destination destination = Assembly.destination(config.destination())) {
                try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                    pipeline.start(Assembly.sources(config));
                    catchUp(pipeline, cells, Duration.ofMinutes(3));
                }
                assertMatches(destination, config);
            }
            assertThat(killedWhileCopying).as("kills before streaming began").isPositive();
            assertThat(killedWhileStreaming).as("kills while streaming").isPositive();
        } finally {
            workloads.forEach(BackgroundWorkload::close);
            cells.forEach(EmbeddedCell::close);
        }
    }

    private static void awaitLine(Path log, String text, Process child) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && child.isAlive()) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the pipeline never logged '" + text + "':\n" + Files.readString(log));
    }

    private static Process startChild(Path configFile, Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--config", configFile.toString(), "--progress-interval", "1s")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
