package io.cellpipe.cli;

import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.model.KeyRange;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.Resync;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Compares every captured table of every cell with the warehouse; exit 0 only when all match. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Compare every captured table of every cell with the warehouse (run it with the pipeline stopped).")
final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "Pipeline configuration (YAML).")
    Path config;

    @Option(names = "--by-range", description = "Compare tables with one integer key by checksums per key range, computed in each"
            + " database, and rows only in the ranges that differ (for large tables).")
    boolean byRange;

    @Option(names = "--rows-per-range", defaultValue = "100000", description = "Rows per key range with --by-range (default ${DEFAULT-VALUE}).")
    long rowsPerRange;

    @Option(names = "--repair", description = "Re-read what differs (the differing key ranges, else the whole table) with a resync,"
            + " then verify again.")
    boolean repair;

    @Override
    public Integer call() throws Exception {
        PipelineConfig pipelineConfig = new ConfigLoader(System::getenv).load(config);
        LogFormat.apply(pipelineConfig.logging());
        try (Destination destination = Assembly.destination(pipelineConfig.destination())) {
            Verification.Summary summary = verify(pipelineConfig, destination);
            if (summary.matches() || !repair || summary.repairs().isEmpty()) {
                return summary.matches() ? 0 : 1;
            }
            List<Resync> requests = new ArrayList<>();
            for (Verification.Repair fix : summary.repairs()) {
                List<KeyRange> ranges = fix.ranges().isEmpty() ? java.util.Collections.singletonList(null) : fix.ranges();
                for (KeyRange range : ranges) {
                    Resync request = ResyncCommand.request(pipelineConfig, fix.cellId(), fix.table(), range, ResyncCommand.DEFAULT_CHUNK_ROWS);
                    destination.requestResync(request);
                    requests.add(request);
                    System.out.println("verify: repairing " + fix.cellId() + " " + fix.table() + (range == null ? " (whole table)" : " " + range));
                }
            }
            PrintWriter out = new PrintWriter(System.out, true);
            if (LocalResync.run(pipelineConfig, destination, requests, out, java.time.Duration.ofDays(7)) != 0) {
                return 1;
            }
            System.out.println("verify: verifying again after the repair");
            return verify(pipelineConfig, destination).matches() ? 0 : 1;
        }
    }

    private Verification.Summary verify(PipelineConfig pipelineConfig, Destination destination) {
        long started = System.nanoTime();
        Verification verification = new Verification(destination, pipelineConfig.tables(), Assembly.policies(pipelineConfig), System.out);
        if (byRange) {
            verification.byRange(rowsPerRange);
        }
        Verification.Summary summary = verification.verify(pipelineConfig.cells());
        String took = String.format(" in %.1f s", (System.nanoTime() - started) / 1e9);
        if (summary.matches()) {
            System.out.println("verify: " + summary.cells() + " cells, " + summary.tables() + " tables, " + summary.rows()
                    + " rows: warehouse matches sources" + took);
        } else {
            System.out.println("verify: MISMATCH: " + summary.mismatchedTables() + " tables differ, " + summary.failedCells()
                    + " cells could not be read" + took);
        }
        return summary;
    }
}
