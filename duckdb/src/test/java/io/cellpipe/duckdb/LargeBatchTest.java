package io.cellpipe.duckdb;

import static io.cellpipe.duckdb.Fixtures.column;
import static io.cellpipe.duckdb.Fixtures.key;
import static io.cellpipe.duckdb.Fixtures.row;
import static io.cellpipe.duckdb.Fixtures.scan;
import static io.cellpipe.duckdb.Fixtures.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.ChangeBuffer;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.model.Transaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One batch of 100,000 changes of two cells, as the pipeline builds them under load. */
class LargeBatchTest {
    static final TableSchema ORDERS = table("public.orders", key("id", ColumnKind.INT64), column("status", ColumnKind.TEXT),
            column("total", ColumnKind.FLOAT64), column("placed_at", ColumnKind.TIMESTAMPTZ));
    static final int INSERTS = 30_000;
    static final int UPDATES = 12_000;
    static final int DELETES = 8_000;

    @TempDir
    Path directory;

    @Test
    void aBatchOfOneHundredThousandChangesApplies() {
        Path file = directory.resolve("warehouse.duckdb");
        List<Transaction> batch = new ArrayList<>();
        long lsn = 1_000;
        for (String cell : List.of("cell-a", "cell-b")) {
            List<Change> changes = new ArrayList<>();
            for (int id = 0; id < INSERTS; id++) {
                changes.add(Change.insert(ORDERS, row(Integer.toString(id), "new", id + ".5", "2024-01-01 00:00:00+00")));
            }
            for (int id = 0; id < UPDATES; id++) {
                changes.add(Change.update(ORDERS, null, row(Integer.toString(id), "paid", id + ".5", "2024-01-02 00:00:00+00")));
            }
            for (int id = 20_000; id < 20_000 + DELETES; id++) {
                changes.add(Change.delete(ORDERS, row(Integer.toString(id), null, null, null)));
            }
            for (int from = 0; from < changes.size(); from += 100) {
                ChangeBuffer buffer = ChangeBuffer.inMemory();
                changes.subList(from, Math.min(from + 100, changes.size())).forEach(buffer::add);
                batch.add(new Transaction(cell, lsn, new Lsn(lsn), Fixtures.T0, buffer));
                lsn++;
            }
        }
        assertThat(batch.stream().mapToLong(transaction -> transaction.changes().size()).sum()).isEqualTo(100_000);

        try (DuckDbDestination destination = new DuckDbDestination(DuckDbOptions.of(file))) {
            destination.completeSnapshot("cell-a", new Lsn(1), Fixtures.T0);
            long started = System.nanoTime();
            destination.apply(batch);
            System.out.printf("applied 100000 changes in %d ms%n", (System.nanoTime() - started) / 1_000_000);

            for (String cell : List.of("cell-a", "cell-b")) {
                List<List<String>> rows = scan(destination, cell, ORDERS);
                assertThat(rows).hasSize(INSERTS);
                assertThat(rows.stream().filter(row -> row.size() == 5)).hasSize(DELETES);
                assertThat(rows.stream().filter(row -> row.get(1).equals("paid"))).hasSize(UPDATES);
                assertThat(rows.get(11_999)).containsExactly("11999", "paid", "11999.5", "2024-01-02 00:00:00+00");
                assertThat(rows.get(20_000)).containsExactly("20000", "new", "20000.5", "2024-01-01 00:00:00+00", "deleted");
            }
            assertThat(destination.checkpoint("cell-a").orElseThrow().lsn()).isEqualTo(new Lsn(lsn - 1 - 500));
        }
        assertThat(WarehouseFile.query(file, "SELECT count(*), count(DISTINCT cell_id) FROM _cellpipe.changes"))
                .containsExactly(List.of("100000", "2"));
        // the change log is appended in the batch's order: transaction numbers grow with each cell's LSN, and each
        // transaction's hundred changes are numbered 0 to 99
        assertThat(WarehouseFile.query(file, "SELECT count(*) FROM _cellpipe.change_commits a JOIN _cellpipe.change_commits b"
                + " ON a.cell_id = b.cell_id AND a.commit_id < b.commit_id AND a.lsn_value > b.lsn_value")).containsExactly(List.of("0"));
        assertThat(WarehouseFile.query(file, "SELECT count(*) FROM (SELECT commit_id FROM _cellpipe.change_rows GROUP BY commit_id"
                + " HAVING count(*) <> 100 OR count(DISTINCT seq) <> 100 OR min(seq) <> 0 OR max(seq) <> 99)")).containsExactly(List.of("0"));
    }
}
