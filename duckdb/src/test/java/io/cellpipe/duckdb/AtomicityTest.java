package io.cellpipe.duckdb;

import static io.cellpipe.duckdb.Fixtures.column;
import static io.cellpipe.duckdb.Fixtures.key;
import static io.cellpipe.duckdb.Fixtures.row;
import static io.cellpipe.duckdb.Fixtures.scan;
import static io.cellpipe.duckdb.Fixtures.table;
import static io.cellpipe.duckdb.Fixtures.transaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.model.Transaction;
import io.cellpipe.core.spi.CellCheckpoint;
import io.cellpipe.core.spi.TableFailureException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checkpoints move with the data they cover, or not at all; the change log and stopped tables. */
class AtomicityTest extends WarehouseTestBase {
    static final TableSchema ACCOUNTS = table("public.accounts", key("id", ColumnKind.INT32), column("balance", ColumnKind.INT32));
    static final TableSchema NOTES = table("public.notes", key("id", ColumnKind.INT32), column("text", ColumnKind.TEXT),
            column("span", ColumnKind.INTERVAL));

    @Test
    void checkpointsAreTheLastCommitOfEachCellWithACompletedSnapshot() {
        assertThat(destination.checkpoints()).isEmpty();
        destination.completeSnapshot("cell-1", new Lsn(5), Fixtures.T0);
        assertThat(destination.checkpoint("cell-1")).contains(new CellCheckpoint("cell-1", new Lsn(5), Fixtures.T0));

        destination.apply(List.of(
                transaction("cell-1", 10, Change.insert(ACCOUNTS, row("1", "100"))),
                transaction("cell-2", 15, Change.insert(ACCOUNTS, row("1", "7"))),
                transaction("cell-1", 0x1_0000_0020L, Change.insert(ACCOUNTS, row("2", "200")))));

        assertThat(destination.checkpoints()).containsOnlyKeys("cell-1");
        CellCheckpoint checkpoint = destination.checkpoint("cell-1").orElseThrow();
        assertThat(checkpoint.lsn()).isEqualTo(new Lsn(0x1_0000_0020L));
        assertThat(checkpoint.lsn().toString()).isEqualTo("1/20");
        assertThat(checkpoint.commitTime()).isEqualTo(Fixtures.T0.plusSeconds(0x1_0000_0020L));
        assertThat(query("SELECT cell_id, lsn, lsn_value, snapshot_completed_at IS NULL FROM _cellpipe.checkpoints ORDER BY cell_id"))
                .containsExactly(List.of("cell-1", "1/20", "4294967328", "false"), List.of("cell-2", "0/F", "15", "true"));
    }

    @Test
    void aFailingBatchWritesNothingAndLeavesTheCheckpoint() {
        destination.completeSnapshot("cell-1", new Lsn(5), Fixtures.T0);
        destination.apply(List.of(transaction("cell-1", 10, Change.insert(ACCOUNTS, row("1", "100")))));
        long changesBefore = changeCount();

        assertThatThrownBy(() -> destination.apply(List.of(
                transaction("cell-1", 20, Change.insert(NOTES, row("1", "written first", "PT1S")), Change.update(ACCOUNTS, null, row("1", "150"))),
                transaction("cell-1", 30, Change.insert(ACCOUNTS, row("2", "not a number"))))))
                .isInstanceOfSatisfying(TableFailureException.class, e -> {
                    assertThat(e.cellId()).isEqualTo("cell-1");
                    assertThat(e.table()).isEqualTo(new TableId("public", "accounts"));
                    assertThat(e.getMessage()).contains("public.accounts", "does not convert", "INT32", "Nothing of the batch was written")
                            .doesNotContain("not a number");
                });

        assertThat(scan(destination, "cell-1", ACCOUNTS)).containsExactly(List.of("1", "100"));
        assertThat(scan(destination, "cell-1", NOTES)).isEmpty();
        assertThat(destination.checkpoint("cell-1").orElseThrow().lsn()).isEqualTo(new Lsn(10));
        assertThat(changeCount()).isEqualTo(changesBefore);

        destination.apply(List.of(transaction("cell-1", 40, Change.update(ACCOUNTS, null, row("1", "175")))));
        assertThat(scan(destination, "cell-1", ACCOUNTS)).containsExactly(List.of("1", "175"));
        assertThat(destination.checkpoint("cell-1").orElseThrow().lsn()).isEqualTo(new Lsn(40));
    }

    @Test
    void aWriteThatFailsWhileTheBatchIsStillBeingPreparedStopsThePreparingThreadFirst() {
        destination.completeSnapshot("cell-1", new Lsn(5), Fixtures.T0);
        List<Transaction> batch = new ArrayList<>();
        // the truncate hands the bad row over at once; the preparing thread has 60,000 changes to go
        batch.add(transaction("cell-1", 10, Change.insert(ACCOUNTS, row("1", "not a number")), Change.truncate(ACCOUNTS)));
        for (int t = 0; t < 600; t++) {
            Change[] changes = new Change[100];
            for (int c = 0; c < changes.length; c++) {
                changes[c] = Change.insert(NOTES, row(Integer.toString(t * 100 + c), "note", "PT1S"));
            }
            batch.add(transaction("cell-1", 11 + t, changes));
        }

        assertThatThrownBy(() -> destination.apply(batch)).isInstanceOf(TableFailureException.class).hasMessageContaining("public.accounts");

        // apply returned only after the thread preparing the batch ended: the caller releases the batch next
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName().equals("applier-prepare"));
        assertThat(scan(destination, "cell-1", NOTES)).isEmpty();
        assertThat(destination.checkpoint("cell-1").orElseThrow().lsn()).isEqualTo(new Lsn(5));
        assertThat(changeCount()).isZero();
    }

    @Test
    void aFailureInRowsOfSeveralCellsIsNotBlamedOnOneTable() {
        assertThatThrownBy(() -> destination.apply(List.of(
                transaction("cell-1", 10, Change.insert(ACCOUNTS, row("1", "1"))),
                transaction("cell-2", 11, Change.insert(ACCOUNTS, row("1", "x"))))))
                .isInstanceOf(WarehouseException.class).hasMessageContaining("several cells").hasMessageContaining("public.accounts");
        assertThat(scan(destination, "cell-1", ACCOUNTS)).isEmpty();
    }

    @Test
    void anUnreadableValueStopsTheTable() {
        assertThatThrownBy(() -> destination.apply(List.of(transaction("cell-1", 10, Change.insert(NOTES, row("1", "x", "3 days"))))))
                .isInstanceOfSatisfying(TableFailureException.class, e -> assertThat(e.table()).isEqualTo(new TableId("public", "notes")))
                .hasMessageContaining("ISO 8601");
    }

    @Test
    void theChangeLogHoldsEveryChangeInOrder() {
        destination.apply(List.of(transaction("cell-1", 10, Change.insert(NOTES, row("1", "say \"hi\"\n en français, 50 €, \ud83d\ude00", "P1D")),
                Change.update(NOTES, null, Fixtures.toasted(new String[] {"1", null, "P2D"}, 1)),
                Change.delete(NOTES, row("1", null, null)),
                Change.truncate(NOTES))));

        assertThat(query("SELECT cell_id, lsn, lsn_value, xid, table_name, op, seq, \"key\", \"before\", \"after\","
                + " commit_ts::VARCHAR, uploaded_at IS NOT NULL FROM _cellpipe.changes ORDER BY seq")).containsExactly(
                Arrays.asList("cell-1", "0/A", "10", "10", "public.notes", "c", "0", "{\"id\":\"1\"}", null,
                        "{\"id\":\"1\",\"text\":\"say \\\"hi\\\"\\n en français, 50 €, \ud83d\ude00\",\"span\":\"P1D\"}", "2024-05-01 10:00:10.123456+00", "true"),
                Arrays.asList("cell-1", "0/A", "10", "10", "public.notes", "u", "1", "{\"id\":\"1\"}", null,
                        "{\"id\":\"1\",\"span\":\"P2D\"}", "2024-05-01 10:00:10.123456+00", "true"),
                Arrays.asList("cell-1", "0/A", "10", "10", "public.notes", "d", "2", "{\"id\":\"1\"}",
                        "{\"id\":\"1\",\"text\":null,\"span\":null}", null, "2024-05-01 10:00:10.123456+00", "true"),
                Arrays.asList("cell-1", "0/A", "10", "10", "public.notes", "t", "3", "{}", null, null, "2024-05-01 10:00:10.123456+00", "true"));
        assertThat(query("SELECT count(DISTINCT uploaded_at) FROM _cellpipe.changes")).containsExactly(List.of("1"));
    }

    @Test
    void withoutTheChangeLogOptionNothingIsLogged() {
        destination.close();
        destination = new DuckDbDestination(new DuckDbOptions(file, false, false));
        destination.apply(List.of(transaction("cell-1", 10, Change.insert(ACCOUNTS, row("1", "1")))));

        assertThat(scan(destination, "cell-1", ACCOUNTS)).containsExactly(List.of("1", "1"));
        assertThat(changeCount()).isZero();
    }

    @Test
    void stoppedTablesAreKeptUntilTheCellIsCopiedAgain() {
        destination.recordTableStopped("cell-1", ACCOUNTS.id(), "first reason");
        destination.recordTableStopped("cell-1", ACCOUNTS.id(), "column x changed");
        destination.recordTableStopped("cell-2", NOTES.id(), "other");

        assertThat(destination.stoppedTables()).isEqualTo(Map.of(
                "cell-1", Map.of("public.accounts", "column x changed"),
                "cell-2", Map.of("public.notes", "other")));
        destination.close();
        destination = new DuckDbDestination(DuckDbOptions.of(file));
        destination.beginSnapshot("cell-1", List.of());
        assertThat(destination.stoppedTables()).isEqualTo(Map.of("cell-2", Map.of("public.notes", "other")));
    }

    long changeCount() {
        return Long.parseLong(query("SELECT count(*) FROM _cellpipe.changes").get(0).get(0));
    }
}
