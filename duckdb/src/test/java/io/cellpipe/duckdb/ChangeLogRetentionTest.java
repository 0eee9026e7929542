package io.cellpipe.duckdb;

import static io.cellpipe.duckdb.Fixtures.key;
import static io.cellpipe.duckdb.Fixtures.column;
import static io.cellpipe.duckdb.Fixtures.row;
import static io.cellpipe.duckdb.Fixtures.table;
import static io.cellpipe.duckdb.Fixtures.transaction;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.TableSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The change log keeps what is younger than the retention and loses what is older, by load time. */
class ChangeLogRetentionTest extends WarehouseTestBase {
    private static final TableSchema USERS = table("public.users", key("id", ColumnKind.INT64), column("name", ColumnKind.TEXT));

    @Test
    void pruningRemovesOnlyEntriesLoadedBeforeTheCutoff() {
        destination.apply(List.of(transaction("cell-1", 100, Change.insert(USERS, row("1", "a")), Change.insert(USERS, row("2", "b")))));
        assertThat(destination.pruneChangeLog(Instant.now().minus(Duration.ofHours(1)))).isZero();
        assertThat(changes()).isEqualTo(2);
        assertThat(destination.pruneChangeLog(Instant.now().plusSeconds(1))).isEqualTo(2);
        assertThat(changes()).isZero();
        assertThat(query("SELECT count(*) FROM public.users WHERE NOT _deleted").get(0).get(0)).isEqualTo("2");
    }

    @Test
    void theRetentionPrunesPeriodically() throws Exception {
        destination.apply(List.of(transaction("cell-1", 100, Change.insert(USERS, row("1", "a")))));
        destination.close();
        destination = null;
        try (Warehouse warehouse = Warehouse.open(file, DuckDbOptions.DEFAULT_MEMORY_LIMIT, DuckDbOptions.DEFAULT_THREADS);
                ChangeLogRetention retention = new ChangeLogRetention(warehouse, WarehouseCatalog.load(warehouse), Duration.ofSeconds(2))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long remaining = count(warehouse);
            assertThat(remaining).isEqualTo(1);
            while (System.nanoTime() < deadline && remaining > 0) {
                Thread.sleep(200);
                remaining = count(warehouse);
            }
            assertThat(remaining).as("entries older than the retention are pruned without being asked").isZero();
        }
    }

    private static long count(Warehouse warehouse) throws Exception {
        try (var connection = warehouse.session(); var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT count(*) FROM _cellpipe.changes")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private long changes() {
        return Long.parseLong(query("SELECT count(*) FROM _cellpipe.changes").get(0).get(0));
    }

}
