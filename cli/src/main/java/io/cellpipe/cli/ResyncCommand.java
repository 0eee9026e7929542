package io.cellpipe.cli;

import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
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

    @Option(names = "--where", description = "Only rows matching this SQL predicate (needs --table), e.g. \"id BETWEEN 1 AND 1000000\";"
            + " it must be valid in PostgreSQL and DuckDB and name only columns the warehouse keeps.")
    String where;

    @Option(names = "--chunk-rows", defaultValue = "" + DEFAULT_CHUNK_ROWS, description = "Rows read per chunk (default ${DEFAULT-VALUE}).")
    int chunkRows;

    @Option(names = "--timeout", defaultValue = "7d", converter = DurationConverter.class,
            description = "Give up waiting after this long (default ${DEFAULT-VALUE}); the resync itself goes on in a running pipeline.")
    Duration timeout;

    @Spec
    CommandSpec spec;

    /** A validated request; the message of the exception says what is wrong with the arguments. */
    static Resync request(PipelineConfig config, String cellId, String table, String where, int chunkRows) {
        if (cellId == null || config.cells().stream().map(CellConfig::id).noneMatch(cellId::equals)) {
            throw new IllegalArgumentException("cell '" + cellId + "' is not in the configuration; cells: "
                    + String.join(", ", config.cells().stream().map(CellConfig::id).toList()));
        }
        if (where != null && table == null) {
            throw new IllegalArgumentException("--where needs --table: a predicate applies to one table");
        }
        if (chunkRows < 1 || chunkRows > 1_000_000) {
            throw new IllegalArgumentException("--chunk-rows must be between 1 and 1000000, not " + chunkRows);
        }
        String qualified = table == null ? Resync.EVERY_TABLE : TableId.parse(table).qualified();
        if (table != null && !config.tables().includes(TableId.parse(table))) {
            throw new IllegalArgumentException("table " + qualified + " is not captured: tables.include/tables.exclude leave it out");
        }
        return Resync.request(cellId, qualified, where == null || where.isBlank() ? null : where, chunkRows, "requested with cellpipe resync");
    }

    @Override
    public Integer call() throws Exception {
        PipelineConfig pipelineConfig = new ConfigLoader(System::getenv).load(config);
        PrintWriter out = spec.commandLine().getOut();
        Resync request;
        try {
            request = request(pipelineConfig, cell, table, where, chunkRows);
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
        try (Destination destination = Assembly.destination(pipelineConfig.destination())) {
            destination.requestResync(request);
            return LocalResync.run(pipelineConfig, destination, List.of(request), out, timeout);
        }
    }
}
