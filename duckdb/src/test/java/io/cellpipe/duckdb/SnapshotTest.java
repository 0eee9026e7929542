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
import io.cellpipe.core.spi.CellCheckpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/** A cell's snapshot: forget, load from several threads at once, complete, then stream on top. */
class SnapshotTest extends WarehouseTestBase {
    static final TableSchema USERS = table("public.users", key("id", ColumnKind.INT64), column("email", ColumnKind.TEXT));
    static final TableSchema LOG = table("public.log", column("line", ColumnKind.TEXT));

    @Override
    String fileName() {
        return "nested/dir/warehouse.duckdb";
    }

    @Test
    void beginCreatesTablesAndForgetsOnlyThatCell() {
        destination.beginSnapshot("cell-1", List.of(USERS, LOG));
        assertThat(query("SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE schema_name = 'public' ORDER BY 1"))
                .containsExactly(List.of("public.log"), List.of("public.users"));

        destination.apply(List.of(transaction("cell-1", 10, Change.insert(USERS, row("1", "a@x")), Change.insert(LOG, row("l1"))),
                transaction("cell-2", 11, Change.insert(USERS, row("1", "b@x")))));
        destination.completeSnapshot("cell-1", new Lsn(10), Fixtures.T0);
        destination.completeSnapshot("cell-2", new Lsn(11), Fixtures.T0);

        destination.beginSnapshot("cell-1", List.of(USERS));

        assertThat(scan(destination, "cell-1", USERS)).isEmpty();
        assertThat(scan(destination, "cell-1", LOG)).isEmpty();
        assertThat(scan(destination, "cell-2", USERS)).containsExactly(List.of("1", "b@x"));
        assertThat(destination.checkpoints()).containsOnlyKeys("cell-2");
        assertThat(query("SELECT count(*) FROM _cellpipe.changes")).containsExactly(List.of("3"));
    }

    @Test
    void rowsLoadFromSeveralThreadsAtOnceAndStreamingContinuesOnTop() throws Exception {
        int threads = 3;
        int chunks = 20;
        int chunkRows = 1_000;
        destination.beginSnapshot("cell-1", List.of(USERS, LOG));
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<?>> loads = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                loads.add(pool.submit(() -> {
                    start.await();
                    for (int chunk = 0; chunk < chunks; chunk++) {
                        List<RowImage> rows = new ArrayList<>();
                        for (int i = 0; i < chunkRows; i++) {
                            long id = ((long) thread * chunks + chunk) * chunkRows + i;
                            rows.add(row(Long.toString(id), "user" + id + "@example.com"));
                        }
                        destination.loadSnapshotRows("cell-1", USERS, rows);
                    }
                    return null;
                }));
            }
            loads.add(pool.submit(() -> {
                start.await();
                for (int chunk = 0; chunk < chunks; chunk++) {
                    destination.loadSnapshotRows("cell-1", LOG, List.of(row("line " + chunk)));
                }
                return null;
            }));
            for (Future<?> load : loads) {
                load.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(destination.checkpoints()).isEmpty();
        destination.completeSnapshot("cell-1", Lsn.parse("16/B374D848"), Fixtures.T0);

        assertThat(destination.checkpoint("cell-1")).contains(new CellCheckpoint("cell-1", Lsn.parse("16/B374D848"), Fixtures.T0));
        List<List<String>> users = scan(destination, "cell-1", USERS);
        assertThat(users).hasSize(threads * chunks * chunkRows);
        assertThat(users.get(0)).containsExactly("0", "user0@example.com");
        assertThat(users.get(users.size() - 1)).containsExactly("59999", "user59999@example.com");
        assertThat(scan(destination, "cell-1", LOG)).hasSize(chunks);

        destination.apply(List.of(transaction("cell-1", Lsn.parse("16/B374D900").value(),
                Change.update(USERS, null, row("5", "new@example.com")), Change.delete(USERS, row("6", null)))));
        assertThat(scan(destination, "cell-1", USERS).subList(5, 7)).containsExactly(
                List.of("5", "new@example.com"), List.of("6", "user6@example.com", "deleted"));
        assertThat(query("SELECT _op, _lsn, _lsn_value, _commit_ts IS NULL, _deleted, count(*) FROM public.users"
                + " GROUP BY ALL ORDER BY _op")).containsExactly(
                List.of("d", "16/B374D900", "97500059904", "false", "true", "1"),
                List.of("r", "0/0", "0", "true", "false", "59998"),
                List.of("u", "16/B374D900", "97500059904", "false", "false", "1"));
    }

    @Test
    void aSnapshotOfANewerShapeAddsItsColumns() {
        TableSchema wider = table("public.users", key("id", ColumnKind.INT64), column("email", ColumnKind.TEXT),
                column("plan", ColumnKind.TEXT));
        destination.beginSnapshot("cell-1", List.of(USERS));
        destination.loadSnapshotRows("cell-1", USERS, List.of(row("1", "a@x")));
        destination.loadSnapshotRows("cell-1", wider, List.of(row("2", "b@x", "pro")));

        assertThat(scan(destination, "cell-1", wider)).containsExactly(java.util.Arrays.asList("1", "a@x", null), List.of("2", "b@x", "pro"));
    }
}
