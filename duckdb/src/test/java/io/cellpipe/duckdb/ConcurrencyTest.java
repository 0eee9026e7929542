package io.cellpipe.duckdb;

import static io.cellpipe.duckdb.Fixtures.column;
import static io.cellpipe.duckdb.Fixtures.key;
import static io.cellpipe.duckdb.Fixtures.row;
import static io.cellpipe.duckdb.Fixtures.scan;
import static io.cellpipe.duckdb.Fixtures.table;
import static io.cellpipe.duckdb.Fixtures.transaction;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One cell streams while others snapshot the same table (one of them with a newer shape, so a
 * column is added meanwhile) and readers poll: DuckDB would fail a transaction that writes to a
 * table altered under it, so this checks the locking around DDL.
 */
class ConcurrencyTest {
    static final TableSchema V1 = table("public.shared", key("id", ColumnKind.INT32), column("v", ColumnKind.TEXT));
    static final TableSchema V2 = table("public.shared", key("id", ColumnKind.INT32), column("v", ColumnKind.TEXT),
            column("added", ColumnKind.TEXT));

    @TempDir
    Path directory;

    @Test
    void streamingSnapshotsSchemaChangesAndReadsRunTogether() throws Exception {
        int cells = 6;
        int batches = 40;
        try (DuckDbDestination destination = new DuckDbDestination(DuckDbOptions.of(directory.resolve("warehouse.duckdb")))) {
            destination.beginSnapshot("streamer", List.of(V1));
            destination.completeSnapshot("streamer", new Lsn(1), Fixtures.T0);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            AtomicBoolean running = new AtomicBoolean(true);
            try {
                Future<?> streaming = pool.submit(() -> {
                    for (int b = 0; b < batches; b++) {
                        destination.apply(List.of(transaction("streamer", 10 + b,
                                Change.insert(V1, row(Integer.toString(b), "s" + b)),
                                Change.update(V1, null, row("0", "latest " + b)))));
                    }
                    return null;
                });
                List<Future<?>> snapshots = new ArrayList<>();
                for (int worker = 0; worker < 2; worker++) {
                    int first = worker;
                    snapshots.add(pool.submit(() -> {
                        for (int cell = first; cell < cells; cell += 2) {
                            String cellId = "cell-" + cell;
                            TableSchema shape = cell == cells - 1 ? V2 : V1;
                            destination.beginSnapshot(cellId, List.of(shape));
                            for (int chunk = 0; chunk < 5; chunk++) {
                                List<RowImage> rows = new ArrayList<>();
                                for (int i = 0; i < 500; i++) {
                                    int id = chunk * 500 + i;
                                    rows.add(shape == V2 ? row(Integer.toString(id), "v", "a") : row(Integer.toString(id), "v"));
                                }
                                destination.loadSnapshotRows(cellId, shape, rows);
                            }
                            destination.completeSnapshot(cellId, new Lsn(100 + cell), Fixtures.T0);
                        }
                        return null;
                    }));
                }
                Future<?> reads = pool.submit(() -> {
                    while (running.get()) {
                        destination.checkpoints();
                        destination.stoppedTables();
                        scan(destination, "streamer", V1);
                    }
                    return null;
                });
                streaming.get(2, TimeUnit.MINUTES);
                for (Future<?> snapshot : snapshots) {
                    snapshot.get(2, TimeUnit.MINUTES);
                }
                running.set(false);
                reads.get(1, TimeUnit.MINUTES);
            } finally {
                running.set(false);
                pool.shutdownNow();
            }

            assertThat(destination.checkpoints()).hasSize(cells + 1);
            assertThat(destination.checkpoint("streamer").orElseThrow().lsn()).isEqualTo(new Lsn(10 + batches - 1));
            assertThat(scan(destination, "streamer", V1)).hasSize(batches).first().isEqualTo(List.of("0", "latest " + (batches - 1)));
            for (int cell = 0; cell < cells; cell++) {
                assertThat(scan(destination, "cell-" + cell, V2)).hasSize(2_500);
            }
            assertThat(scan(destination, "cell-" + (cells - 1), V2).get(0)).containsExactly("0", "v", "a");
        }
    }
}
