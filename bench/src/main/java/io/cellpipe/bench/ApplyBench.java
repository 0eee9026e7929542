package io.cellpipe.bench;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.ChangeBuffer;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.model.Transaction;
import io.cellpipe.duckdb.DuckDbDestination;
import io.cellpipe.duckdb.DuckDbOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The DuckDB destination alone (docs/BENCHMARKS.md, "Where the time goes"): the streaming phase's workload (per
 * transaction 60 inserts, 30 updates of the previous transaction's rows, 10 deletes of the oldest rows, on the
 * benchmark's 11-column table) built in memory as decoded changes, then applied in batches as the pipeline's applier
 * applies them, timed by wall clock and by the process's CPU time. No PostgreSQL runs, so the figure is what the
 * applying side costs per change, the part the streaming profile found the pipeline waiting on.
 *
 * <p>{@code java --enable-native-access=ALL-UNNAMED -cp bench/target/cellpipe-bench.jar io.cellpipe.bench.ApplyBench
 * [transactions] [--batch-changes N] [--no-change-log]}
 */
public final class ApplyBench {
    private static final String CELL = "cell-1";

    private ApplyBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = Arrays.asList(args);
        int transactions = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 10_000;
        int batchChanges = arguments.contains("--batch-changes") ? Integer.parseInt(arguments.get(arguments.indexOf("--batch-changes") + 1))
                : 20_000;
        boolean changeLog = !arguments.contains("--no-change-log");
        TableSchema schema = schema();
        List<List<Transaction>> batches = batches(schema, transactions, batchChanges);
        long changes = batches.stream().flatMap(List::stream).mapToLong(transaction -> transaction.changes().size()).sum();
        Path directory = Files.createTempDirectory("cellpipe-apply-bench");
        long[] millis = new long[batches.size()];
        double seconds;
        double cpuSeconds;
        try (DuckDbDestination destination = new DuckDbDestination(
                new DuckDbOptions(directory.resolve("warehouse.duckdb"), false, changeLog, DuckDbOptions.DEFAULT_MEMORY_LIMIT))) {
            destination.beginSnapshot(CELL, List.of(schema));
            destination.completeSnapshot(CELL, new Lsn(1), Instant.now());
            long cpuStart = Phases.processCpuNanos();
            long start = System.nanoTime();
            for (int i = 0; i < batches.size(); i++) {
                long batchStart = System.nanoTime();
                destination.apply(batches.get(i));
                millis[i] = (System.nanoTime() - batchStart) / 1_000_000;
            }
            seconds = (System.nanoTime() - start) / 1e9;
            cpuSeconds = (Phases.processCpuNanos() - cpuStart) / 1e9;
        } finally {
            BenchMain.deleteRecursively(directory);
        }
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf("applied %,d changes in %,d batches of up to %,d changes (change log %s): %.2f s, %,.0f changes/s;"
                + " process CPU %.2f s, %.1f us per change; batch median %d ms, max %d ms%n", changes, batches.size(), batchChanges,
                changeLog ? "on" : "off", seconds, changes / seconds, cpuSeconds, cpuSeconds * 1e6 / changes, sorted[sorted.length / 2],
                sorted[sorted.length - 1]);
    }

    /** The benchmark table's columns as the decoder describes them. */
    static TableSchema schema() {
        return new TableSchema(new TableId("public", BenchTables.STREAM), List.of(
                new Column("id", ColumnType.of(ColumnKind.INT64, "bigint"), true),
                new Column("account_id", ColumnType.of(ColumnKind.INT32, "integer"), false),
                new Column("name", ColumnType.of(ColumnKind.TEXT, "text"), false),
                new Column("email", ColumnType.of(ColumnKind.TEXT, "text"), false),
                new Column("amount", ColumnType.decimal(12, 2, "numeric(12,2)"), false),
                new Column("score", ColumnType.of(ColumnKind.FLOAT64, "double precision"), false),
                new Column("active", ColumnType.of(ColumnKind.BOOLEAN, "boolean"), false),
                new Column("created_at", ColumnType.of(ColumnKind.TIMESTAMPTZ, "timestamp with time zone"), false),
                new Column("updated_at", ColumnType.of(ColumnKind.TIMESTAMPTZ, "timestamp with time zone"), false),
                new Column("payload", ColumnType.of(ColumnKind.JSON, "jsonb"), false),
                new Column("ref", ColumnType.of(ColumnKind.UUID, "uuid"), false)));
    }

    /**
     * The workload's transactions, as pgoutput delivers them for a table with the default replica identity (updates
     * without an old image, deletes with the old key only), grouped into batches the way the applier groups a backlog.
     */
    private static List<List<Transaction>> batches(TableSchema schema, int transactions, int batchChanges) {
        List<List<Transaction>> batches = new ArrayList<>();
        List<Transaction> batch = new ArrayList<>();
        long inBatch = 0;
        long nextId = 1;
        long oldest = 1;
        for (int t = 1; t <= transactions; t++) {
            ChangeBuffer changes = ChangeBuffer.inMemory();
            for (long id = nextId; id < nextId + 60; id++) {
                changes.add(Change.insert(schema, row(id, t)));
            }
            if (t > 1) {
                for (long id = nextId - 30; id < nextId; id++) {
                    changes.add(Change.update(schema, null, row(id, t)));
                }
            }
            for (long id = oldest; id < oldest + 10; id++) {
                String[] key = new String[schema.columns().size()];
                key[0] = Long.toString(id);
                changes.add(Change.delete(schema, new RowImage(key, null)));
            }
            nextId += 60;
            oldest += 10;
            batch.add(new Transaction(CELL, t, new Lsn(1_000_000L + t * 10_000L), Instant.ofEpochSecond(1_700_000_000L + t), changes));
            inBatch += changes.size();
            if (inBatch >= batchChanges) {
                batches.add(batch);
                batch = new ArrayList<>();
                inBatch = 0;
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    /** The text PostgreSQL sends for the row {@link BenchTables#row} makes for {@code id}, in transaction {@code t}. */
    private static RowImage row(long id, int t) {
        long cents = id % 100_000;
        return RowImage.of(Long.toString(id), Long.toString(id % 1000), "item-" + id, "user" + id + "@example.com",
                (cents / 100) + "." + String.format("%02d", cents % 100), Double.toString(id * 0.5 + t), id % 2 == 0 ? "t" : "f",
                "2024-01-01 00:00:01+00", "2026-11-21 09:00:00.123456+00", "{\"k\": " + id + ", \"v\": " + t + ", \"tag\": \"t" + (id % 10) + "\"}",
                UUID.nameUUIDFromBytes(Long.toString(id).getBytes(StandardCharsets.UTF_8)).toString());
    }
}
