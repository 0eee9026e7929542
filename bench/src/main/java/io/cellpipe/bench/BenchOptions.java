package io.cellpipe.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Sizes of one run. The full run meets the minimums (2 million streamed changes, a 5-million-row snapshot,
 * 5,000 changes/s for latency); {@code --quick} keeps the same shape at a size that runs in about three minutes.
 */
record BenchOptions(boolean quick, int streamTransactions, long snapshotRows, int latencyRate, Duration latencyWarmUp,
        Duration latencyDuration, long largeTransactionRows, Set<String> phases, boolean debezium, Path report, String command,
        List<Integer> cells) {
    static final List<String> ALL_PHASES = List.of("streaming", "snapshot", "latency", "memory");

    static BenchOptions parse(String[] args) {
        boolean quick = false;
        Path report = null;
        String command = "./bench/run.sh";
        Set<String> phases = new LinkedHashSet<>(ALL_PHASES);
        List<Integer> cells = List.of();
        boolean debezium = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--report" -> report = Path.of(value(args, ++i, "--report"));
                case "--command" -> command = value(args, ++i, "--command");
                case "--phases" -> {
                    phases = new LinkedHashSet<>(List.of(value(args, ++i, "--phases").split(",")));
                    if (!ALL_PHASES.containsAll(phases)) {
                        throw new IllegalArgumentException("--phases takes a comma-separated subset of " + ALL_PHASES + ": " + phases);
                    }
                }
                case "--no-debezium" -> debezium = false;
                case "--cells" -> cells = java.util.Arrays.stream(value(args, ++i, "--cells").split(",")).map(Integer::valueOf).toList();
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; usage: [--quick] [--phases streaming,snapshot,latency,memory] [--no-debezium] [--cells 1,10,50] [--report FILE] [--command TEXT]");
            }
        }
        if (quick) {
            return new BenchOptions(true, 3_000, 500_000, 1_000, Duration.ofSeconds(5), Duration.ofSeconds(20), 300_000, phases, debezium, report,
                    command, cells);
        }
        return new BenchOptions(false, 20_001, 5_000_000, 5_000, Duration.ofSeconds(10), Duration.ofSeconds(60), 2_000_000, phases, debezium, report,
                command, cells);
    }

    /** Only a run of every measurement, Debezium included, replaces the published results. */
    boolean allPhases() {
        return phases.containsAll(ALL_PHASES) && debezium;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
