package io.cellpipe.cli;

import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.model.KeyRange;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.Resync;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Re-reads a table (or every table) of a cell while it streams, and waits until it is done. Asks the
 * running pipeline through {@code /resync} at {@code monitoring.listen} when it answers; otherwise runs
 * the cell's capture itself for the duration of the resync.
 */
@Command(name = "resync", mixinStandardHelpOptions = true,
        description = "Re-read a table (or every table) of a cell while it streams; repairs missing, stale and deleted rows.")
final class ResyncCommand implements Callable<Integer> {
    static final int DEFAULT_CHUNK_ROWS = 10_000;

    @Option(names = "--config", required = true, description = "Pipeline configuration (YAML).")
    Path config;

    @Option(names = "--cell", required = true, description = "The cell's id.")
    String cell;

    @Option(names = "--table", description = "schema.table to re-read; every captured table of the cell when absent"
            + " (which also re-creates a missing or lost replication slot).")
    String table;

    @Option(names = "--from-key", description = "Only rows whose key is at least this (needs --table): one value for the first key"
            + " column, e.g. 1000, or a JSON array for the leading key columns, e.g. '[7, 1000]'.")
    String fromKey;

    @Option(names = "--to-key", description = "Only rows whose key is at most this (needs --table), written as --from-key.")
    String toKey;

    @Option(names = "--chunk-rows", defaultValue = "" + DEFAULT_CHUNK_ROWS, description = "Rows read per chunk (default ${DEFAULT-VALUE}).")
    int chunkRows;

    @Option(names = "--timeout", defaultValue = "7d", converter = DurationConverter.class,
            description = "Give up waiting after this long (default ${DEFAULT-VALUE}); the resync itself goes on in a running pipeline.")
    Duration timeout;

    @Spec
    CommandSpec spec;

    /** A validated request; the message of the exception says what is wrong with the arguments. */
    static Resync request(PipelineConfig config, String cellId, String table, KeyRange range, int chunkRows) {
        if (cellId == null || config.cells().stream().map(CellConfig::id).noneMatch(cellId::equals)) {
            throw new IllegalArgumentException("cell '" + cellId + "' is not in the configuration; cells: "
                    + String.join(", ", config.cells().stream().map(CellConfig::id).toList()));
        }
        if (range != null && table == null) {
            throw new IllegalArgumentException("--from-key and --to-key need --table: a key range applies to one table");
        }
        if (chunkRows < 1 || chunkRows > 1_000_000) {
            throw new IllegalArgumentException("--chunk-rows must be between 1 and 1000000, not " + chunkRows);
        }
        String qualified = table == null ? Resync.EVERY_TABLE : TableId.parse(table).qualified();
        if (table != null && !config.tables().includes(TableId.parse(table))) {
            throw new IllegalArgumentException("table " + qualified + " is not captured: tables.include/tables.exclude leave it out");
        }
        return Resync.request(cellId, qualified, range, chunkRows, "requested with cellpipe resync");
    }

    /** The range the two bounds say, or null when both are absent. */
    static KeyRange range(java.util.List<String> from, java.util.List<String> to) {
        return from == null && to == null ? null : new KeyRange(from, to);
    }

    @Override
    public Integer call() throws Exception {
        PipelineConfig pipelineConfig = new ConfigLoader(System::getenv).load(config);
        PrintWriter out = spec.commandLine().getOut();
        Resync request;
        try {
            request = request(pipelineConfig, cell, table, range(KeyRange.parseBound(fromKey), KeyRange.parseBound(toKey)), chunkRows);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("cellpipe resync: " + e.getMessage());
            return Main.CONFIG_ERROR;
        }
        if (pipelineConfig.monitoring().isPresent()) {
            Optional<Integer> remote = new RemoteResync(pipelineConfig.monitoring().get(), out).run(request, timeout);
            if (remote.isPresent()) {
                return remote.get();
            }
        }
        out.println("resync: no running pipeline answers; running the capture of " + cell + " until the resync is done");
        out.flush();
        Destination opened;
        try {
            opened = Assembly.destination(pipelineConfig.destination());
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("cellpipe resync: " + e.getMessage() + (pipelineConfig.monitoring().isPresent() ? ""
                    : "\nA running pipeline holds its warehouse open; to hand it a resync, set monitoring.listen and monitoring.admin_token"
                            + " in the configuration (docs/operations.md, Security) and restart it."));
            return 1;
        }
        try (Destination destination = opened) {
            destination.requestResync(request);
            return LocalResync.run(pipelineConfig, destination, List.of(request), out, timeout);
        }
    }
}
