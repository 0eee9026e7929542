package io.cellpipe.duckdb;

import static io.cellpipe.duckdb.Fixtures.column;
import static io.cellpipe.duckdb.Fixtures.key;
import static io.cellpipe.duckdb.Fixtures.row;
import static io.cellpipe.duckdb.Fixtures.scan;
import static io.cellpipe.duckdb.Fixtures.table;
import static io.cellpipe.duckdb.Fixtures.toasted;
import static io.cellpipe.duckdb.Fixtures.transaction;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.TableSchema;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inserts, updates, deletes and truncates through {@code apply}, read back with {@code scan}. */
class ApplyTest extends WarehouseTestBase {
    static final TableSchema ITEMS = table("public.items", key("id", ColumnKind.INT64), column("name", ColumnKind.TEXT),
            column("body", ColumnKind.TEXT), column("qty", ColumnKind.INT32));

    static Change insert(String id, String name, String body, String qty) {
        return Change.insert(ITEMS, row(id, name, body, qty));
    }

    static Change update(String id, String name, String body, String qty) {
        return Change.update(ITEMS, null, row(id, name, body, qty));
    }

    static Change delete(String id) {
        return Change.delete(ITEMS, row(id, null, null, null));
    }

    @Test
    void insertUpdateDeleteRoundTrip() {
        destination.apply(List.of(transaction("cell-1", 10, insert("1", "one", "b1", "1"), insert("2", "two", "b2", "2"),
                insert("3", "three", "b3", "3"))));
        destination.apply(List.of(transaction("cell-1", 20, update("2", "TWO", "b2", "22"), delete("3"))));

        assertThat(scan(destination, "cell-1", ITEMS)).containsExactly(
                List.of("1", "one", "b1", "1"),
                List.of("2", "TWO", "b2", "22"),
                List.of("3", "three", "b3", "3", "deleted"));
        assertThat(query("SELECT id, _op, _lsn, _lsn_value, _deleted, _commit_ts::VARCHAR FROM public.items ORDER BY id")).containsExactly(
                List.of("1", "c", "0/A", "10", "false", "2024-05-01 10:00:10.123456+00"),
                List.of("2", "u", "0/14", "20", "false", "2024-05-01 10:00:20.123456+00"),
                List.of("3", "d", "0/14", "20", "true", "2024-05-01 10:00:20.123456+00"));
    }

    @Test
    void severalCellsWriteTheSameTableWithoutTouchingEachOther() {
        destination.apply(List.of(
                transaction("cell-a", 10, insert("1", "a-one", "x", "1")),
                transaction("cell-b", 11, insert("1", "b-one", "y", "2"), insert("2", "b-two", "z", "3")),
                transaction("cell-a", 12, update("1", "a-ONE", "x", "10"))));
        destination.apply(List.of(transaction("cell-b", 13, delete("1"))));

        assertThat(scan(destination, "cell-a", ITEMS)).containsExactly(List.of("1", "a-ONE", "x", "10"));
        assertThat(scan(destination, "cell-b", ITEMS)).containsExactly(
                List.of("1", "b-one", "y", "2", "deleted"),
                List.of("2", "b-two", "z", "3"));
    }

    @Test
    void unchangedToastKeepsTheStoredValueAcrossBatches() {
        destination.apply(List.of(transaction("cell-1", 10, insert("1", "one", "big body", "1"))));
        destination.apply(List.of(transaction("cell-1", 20,
                Change.update(ITEMS, null, toasted(new String[] {"1", "uno", null, "5"}, 2)))));

        assertThat(scan(destination, "cell-1", ITEMS)).containsExactly(List.of("1", "uno", "big body", "5"));
    }

    /** Rows that keep a stored value and rows that set every column are updated by different statements of one upsert. */
    @Test
    void oneBatchUpdatesRowsThatKeepAValueAndRowsThatSetAll() {
        destination.apply(List.of(transaction("cell-1", 10, insert("1", "one", "body one", "1"), insert("2", "two", "body two", "2"))));
        destination.apply(List.of(transaction("cell-1", 20,
                Change.update(ITEMS, null, toasted(new String[] {"1", "uno", null, "5"}, 2)),
                update("2", "deux", "new body two", "6"),
                insert("3", "trois", "body three", "7"))));

        assertThat(scan(destination, "cell-1", ITEMS)).containsExactly(
                List.of("1", "uno", "body one", "5"),
                List.of("2", "deux", "new body two", "6"),
                List.of("3", "trois", "body three", "7"));
    }

    @Test
    void unchangedToastWithinOneBatchTakesTheBatchsEarlierValue() {
        destination.apply(List.of(transaction("cell-1", 10, insert("1", "one", "old body", "1"))));
        destination.apply(List.of(transaction("cell-1", 20,
                insert("2", "two", "fresh body", "2"),
                Change.update(ITEMS, null, toasted(new String[] {"2", "deux", null, "3"}, 2)),
                update("1", "one", "new body", "1"),
                Change.update(ITEMS, null, toasted(new String[] {"1", "uno", null, "4"}, 2)),
                Change.update(ITEMS, null, toasted(new String[] {"1", "eins", null, "6"}, 2)))));

        assertThat(scan(destination, "cell-1", ITEMS)).containsExactly(
                List.of("1", "eins", "new body", "6"),
                List.of("2", "deux", "fresh body", "3"));
    }

    @Test
    void unchangedToastComesFromAFullOldImage() {
        destination.apply(List.of(transaction("cell-1", 10, insert("1", "one", "stale", "1"))));
        destination.apply(List.of(transaction("cell-1", 20, Change.update(ITEMS, row("1", "one", "from old image", "1"),
                toasted(new String[] {"1", "uno", null, "2"}, 2)))));

        assertThat(scan(destination, "cell-1", ITEMS)).containsExactly(List.of("1", "uno", "from old image", "2"));
    }

    @Test
    void keyChangeDeletesTheOldKeyAndCarriesUnchangedToastToTheNewOne() {
        destination.apply(List.of(transaction("cell-1", 10, insert("1", "one", "big body", "1"), insert("5", "five", "b5", "5"))));
        destination.apply(List.of(transaction("cell-1", 20,
                Change.update(ITEMS, row("1", null, null, null), toasted(new String[] {"2", "moved", null, "7"}, 2)),
                insert("8", "eight", "b8", "8"),
                Change.update(ITEMS, row("8", null, null, null), row("9", "nine", "b9", "9")),
                Change.update(ITEMS, row("5", null, null, null), toasted(new String[] {"6", "six", null, "6"}, 2)),
                Change.update(ITEMS, row("6", null, null, null), toasted(new String[] {"7", "seven", null, "7"}, 2)))));

        assertThat(scan(destination, "cell-1", ITEMS)).containsExactly(
                List.of("1", "one", "big body", "1", "deleted"),
                List.of("2", "moved", "big body", "7"),
                List.of("5", "five", "b5", "5", "deleted"),
                List.of("6", "six", "b5", "6", "deleted"),
                List.of("7", "seven", "b5", "7"),
                List.of("8", "eight", "b8", "8", "deleted"),
                List.of("9", "nine", "b9", "9"));
    }

    @Test
    void keyChangeWithHardDeletesRemovesTheOldRow() {
        destination.close();
        destination = new DuckDbDestination(new DuckDbOptions(file, true, true));
        destination.apply(List.of(transaction("cell-1", 10, insert("1", "one", "big body", "1"))));
        destination.apply(List.of(transaction("cell-1", 20,
                Change.update(ITEMS, row("1", null, null, null), toasted(new String[] {"2", "moved", null, "7"}, 2)))));

        assertThat(scan(destination, "cell-1", ITEMS)).containsExactly(List.of("2", "moved", "big body", "7"));
    }

    @Test
    void deleteKeepsTheOtherColumnsAndAnUnknownRowLeavesATombstone() {
        destination.apply(List.of(transaction("cell-1", 10, insert("1", "one", "b1", "1"))));
        destination.apply(List.of(transaction("cell-1", 20, update("1", "uno", "b1", "2"), delete("1"), delete("404"))));

        assertThat(scan(destination, "cell-1", ITEMS)).containsExactly(
                List.of("1", "uno", "b1", "2", "deleted"),
                Arrays.asList("404", null, null, null, "deleted"));
    }

    @Test
    void deleteThenInsertRecreatesTheRow() {
        destination.apply(List.of(transaction("cell-1", 10, insert("1", "one", "b1", "1"), insert("2", "two", "b2", "2"))));
        destination.apply(List.of(transaction("cell-1", 20, delete("1"))));
        destination.apply(List.of(transaction("cell-1", 30, insert("1", "again", "new", "3"), delete("2"), insert("2", "twice", "n2", "4"))));

        assertThat(scan(destination, "cell-1", ITEMS)).containsExactly(
                List.of("1", "again", "new", "3"),
                List.of("2", "twice", "n2", "4"));
        assertThat(query("SELECT id, _op, _deleted FROM public.items ORDER BY id")).containsExactly(
                List.of("1", "c", "false"), List.of("2", "c", "false"));
    }

    @Test
    void hardDeletesRemoveRows() {
        destination.close();
        destination = new DuckDbDestination(new DuckDbOptions(file, true, true));
        destination.apply(List.of(transaction("cell-1", 10, insert("1", "one", "b1", "1"), insert("2", "two", "b2", "2"),
                insert("3", "three", "b3", "3"))));
        destination.apply(List.of(transaction("cell-1", 20, delete("1"), delete("2"), insert("2", "back", "b", "5"), delete("404"))));

        assertThat(scan(destination, "cell-1", ITEMS)).containsExactly(List.of("2", "back", "b", "5"), List.of("3", "three", "b3", "3"));

        destination.apply(List.of(transaction("cell-1", 30, Change.truncate(ITEMS), insert("4", "four", "b4", "4"))));
        assertThat(scan(destination, "cell-1", ITEMS)).containsExactly(List.of("4", "four", "b4", "4"));
    }

    @Test
    void truncateAppliesAtItsPlaceInTheBatch() {
        destination.apply(List.of(transaction("cell-1", 10, insert("1", "one", "b1", "1")),
                transaction("cell-2", 11, insert("1", "other cell", "x", "1"))));
        destination.apply(List.of(
                transaction("cell-1", 20, insert("2", "two", "b2", "2"), update("1", "uno", "b1", "1")),
                transaction("cell-1", 30, Change.truncate(ITEMS), insert("3", "three", "b3", "3")),
                transaction("cell-1", 40, insert("1", "after truncate", "n", "9"))));

        assertThat(scan(destination, "cell-1", ITEMS)).containsExactly(
                List.of("1", "after truncate", "n", "9"),
                List.of("2", "two", "b2", "2", "deleted"),
                List.of("3", "three", "b3", "3"));
        assertThat(scan(destination, "cell-2", ITEMS)).containsExactly(List.of("1", "other cell", "x", "1"));
        assertThat(query("SELECT id, _op, _lsn FROM public.items WHERE _cell_id = 'cell-1' ORDER BY id")).containsExactly(
                List.of("1", "c", "0/28"), List.of("2", "t", "0/1E"), List.of("3", "c", "0/1E"));
    }

    @Test
    void tableWithoutKeyIsAppendOnly() {
        TableSchema events = table("public.events", column("kind", ColumnKind.TEXT), column("amount", ColumnKind.INT32));
        destination.apply(List.of(transaction("cell-1", 10, Change.insert(events, row("a", "1")), Change.insert(events, row("a", "1")))));
        destination.apply(List.of(transaction("cell-1", 20,
                Change.update(events, row("a", "1"), row("b", "2")),
                Change.delete(events, row("a", "1")))));

        // the update retires its old row (a deletion row), the delete adds one: live minus deleted is one ("b", 2)
        assertThat(scan(destination, "cell-1", events)).containsExactly(
                List.of("a", "1"),
                List.of("a", "1"),
                List.of("a", "1", "deleted"),
                List.of("a", "1", "deleted"),
                List.of("b", "2"));

        destination.apply(List.of(transaction("cell-1", 30, Change.truncate(events), Change.insert(events, row("c", "3")))));
        // truncated rows are history: verification no longer sees them
        assertThat(scan(destination, "cell-1", events)).containsExactly(List.of("c", "3"));
    }

    @Test
    void shapesSurviveAReopen() {
        destination.apply(List.of(transaction("cell-1", 10, insert("1", "one", "b1", "1"))));
        destination.close();
        destination = new DuckDbDestination(DuckDbOptions.of(file));
        destination.apply(List.of(transaction("cell-1", 20, update("1", "uno", "b1", "2"))));

        assertThat(scan(destination, "cell-1", ITEMS)).containsExactly(List.of("1", "uno", "b1", "2"));
    }

    @Test
    void scanOfAnUnknownTableIsEmpty() {
        assertThat(scan(destination, "cell-1", table("public.nothing", key("id", ColumnKind.INT32)))).isEmpty();
    }
}
