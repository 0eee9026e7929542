package io.cellpipe.duckdb;

import static io.cellpipe.duckdb.Fixtures.column;
import static io.cellpipe.duckdb.Fixtures.key;
import static io.cellpipe.duckdb.Fixtures.row;
import static io.cellpipe.duckdb.Fixtures.scan;
import static io.cellpipe.duckdb.Fixtures.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.spi.SnapshotLoad;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot load is one DuckDB transaction: nothing visible before its commit, nothing kept when closed without one. */
class ChunkLoadTest {
    static final TableSchema EVENTS = table("public.events", key("id", ColumnKind.INT64), column("at", ColumnKind.TIMESTAMPTZ),
            column("note", ColumnKind.TEXT));

    @TempDir
    Path directory;
    DuckDbDestination destination;

    @BeforeEach
    void open() {
        destination = new DuckDbDestination(DuckDbOptions.of(directory.resolve("warehouse.duckdb")));
        destination.beginSnapshot("cell-1", List.of(EVENTS));
    }

    @AfterEach
    void close() {
        destination.close();
    }

    @Test
    void rowsAppearAtTheCommitOnly() {
        try (SnapshotLoad load = destination.openSnapshotLoad("cell-1", EVENTS)) {
            assertThat(((ChunkLoad) load).appendsDirectly()).as("a table of the types Java reads, as the catalog holds it").isTrue();
            load.add(rows(1, 30_000));
            assertThat(((ChunkLoad) load).appendsDirectly()).isTrue();
            load.add(rows(30_001, 50_000));
            assertThat(scan(destination, "cell-1", EVENTS)).isEmpty();
            load.commit();
        }
        List<List<String>> loaded = scan(destination, "cell-1", EVENTS);
        assertThat(loaded).hasSize(50_000);
        assertThat(loaded.get(0)).containsExactly("1", "2024-01-01 00:00:01+00", "note 1");
        assertThat(loaded.get(49_999)).containsExactly("50000", "2024-01-01 13:53:20+00", "note 50000");
    }

    @Test
    void aLoadClosedWithoutCommitLeavesNothing() {
        try (SnapshotLoad load = destination.openSnapshotLoad("cell-1", EVENTS)) {
            load.add(rows(1, 1_000));
        }
        assertThat(scan(destination, "cell-1", EVENTS)).isEmpty();
        try (SnapshotLoad load = destination.openSnapshotLoad("cell-1", EVENTS)) {
            load.add(rows(1, 10));
            load.commit();
        }
        assertThat(scan(destination, "cell-1", EVENTS)).hasSize(10);
    }

    /** From the first value only DuckDB reads, the rest of the load is staged; rows appended before it stay. */
    @Test
    void aValueOnlyDuckDbReadsSwitchesTheRestOfTheLoadToStaging() {
        List<RowImage> first = rows(1, 100);
        first.set(60, row("61", "infinity", "note 61"));
        try (SnapshotLoad load = destination.openSnapshotLoad("cell-1", EVENTS)) {
            assertThat(((ChunkLoad) load).appendsDirectly()).isTrue();
            load.add(first);
            assertThat(((ChunkLoad) load).appendsDirectly()).isFalse();
            load.add(rows(101, 200));
            load.commit();
        }
        try (SnapshotLoad later = destination.openSnapshotLoad("cell-1", EVENTS)) {
            assertThat(((ChunkLoad) later).appendsDirectly()).as("the table is staged from then on").isFalse();
        }
        List<List<String>> loaded = scan(destination, "cell-1", EVENTS);
        assertThat(loaded).hasSize(200);
        assertThat(loaded.get(59)).containsExactly("60", "2024-01-01 00:01:00+00", "note 60");
        assertThat(loaded.get(60)).containsExactly("61", "infinity", "note 61");
        assertThat(loaded.get(199)).containsExactly("200", "2024-01-01 00:03:20+00", "note 200");
    }

    private static List<RowImage> rows(long from, long to) {
        List<RowImage> rows = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            long seconds = id % 60;
            long minutes = id / 60 % 60;
            long hours = id / 3600;
            rows.add(row(Long.toString(id), String.format("2024-01-01 %02d:%02d:%02d+00", hours, minutes, seconds), "note " + id));
        }
        return rows;
    }
}
