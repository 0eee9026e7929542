package io.cellpipe.cli;

import static io.cellpipe.cli.CapturedCells.catchUp;
import static io.cellpipe.cli.PipelineHarness.assertMatches;
import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables without a primary key: one with REPLICA IDENTITY USING INDEX, which the warehouse keys by
 * that unique index, and one with REPLICA IDENTITY FULL, which it loads append-only (every change
 * a row, deletes marked {@code _deleted}). The warehouse file is read directly.
 */
class TableWithoutKeyIT {
    private static final String CELL = "cell-1";
    private static final int PAYLOAD_CHUNKS = 200;

    @Test
    void usingIndexIsKeyedByTheIndexAndFullIsAppendOnly(@TempDir Path dir) throws Exception {
        Path warehouse = dir.resolve("w.duckdb");
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            cell.execute(
                    "CREATE TABLE public.events (kind text NOT NULL, amount int, payload text)",
                    "ALTER TABLE public.events REPLICA IDENTITY FULL",
                    // TOASTed out of line, so an update that leaves it alone does not carry it in the new row
                    "ALTER TABLE public.events ALTER COLUMN payload SET STORAGE EXTERNAL",
                    "CREATE TABLE public.by_index (code text NOT NULL, region int NOT NULL, note text, amount numeric(10,2))",
                    "CREATE UNIQUE INDEX by_index_code_region ON public.by_index (code, region)",
                    "ALTER TABLE public.by_index REPLICA IDENTITY USING INDEX by_index_code_region",
                    // copied by the snapshot
                    "INSERT INTO public.events VALUES ('snapshot', 0, NULL)",
                    "INSERT INTO public.by_index VALUES ('a', 1, 'first', 1.00), ('b', 1, 'second', 2.00)");
            CapturedCells.createMarkerTable(cell);
            Map<String, String> cells = CapturedCells.cells(CELL, cell.jdbcUrl());
            PipelineConfig config = CapturedCells.config(warehouse, cells);
            try (Destination destination = Assembly.destination(config.destination())) {
                try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                    pipeline.start(Assembly.sources(config));
                    awaitStreaming(pipeline, CELL, Duration.ofSeconds(30));
                    changeEvents(cell);
                    changeByIndex(cell);
                    catchUp(pipeline, cells, Duration.ofSeconds(30));
                }
                // The append-only table verifies as live rows minus deletions.
                assertMatches(destination, config);
            }
            WarehouseFile file = new WarehouseFile(warehouse);
            assertKeyedByTheIndex(file);
            assertAppendOnly(file);
        }
    }

    /** Eight changes after the one snapshot row. */
    private static void changeEvents(EmbeddedCell cell) {
        cell.execute(
                "INSERT INTO public.events VALUES ('click', 1, NULL), ('click', 1, NULL), ('view', 2, " + payload() + ")",
                "UPDATE public.events SET amount = amount + 10 WHERE kind = 'click'",
                "UPDATE public.events SET amount = 5 WHERE kind = 'view'",
                // one of two identical rows: REPLICA IDENTITY FULL identifies it by all its values
                "DELETE FROM public.events WHERE ctid = (SELECT min(ctid) FROM public.events WHERE kind = 'click')",
                "DELETE FROM public.events WHERE kind = 'snapshot'");
    }

    private static void changeByIndex(EmbeddedCell cell) {
        cell.execute(
                "INSERT INTO public.by_index VALUES ('c', 2, 'third', 3.00), ('a', 2, 'a in region 2', 4.00)",
                "UPDATE public.by_index SET note = 'first, edited', amount = 1.50 WHERE code = 'a' AND region = 1",
                "UPDATE public.by_index SET note = 'edited again' WHERE code = 'a' AND region = 1",
                // the key changes: the old key is deleted, the row lives on at the new one
                "UPDATE public.by_index SET code = 'b2' WHERE code = 'b' AND region = 1",
                "DELETE FROM public.by_index WHERE code = 'c'");
    }

    private static void assertKeyedByTheIndex(WarehouseFile file) {
        List<Map<String, Object>> rows = file.rows("SELECT code, region, note, amount, _deleted FROM \"public\".\"by_index\""
                + " WHERE _cell_id = '" + CELL + "' ORDER BY code, region");
        assertThat(rows).extracting(row -> row.get("code"), row -> row.get("region"), row -> row.get("_deleted")).containsExactly(
                tuple("a", 1, false),
                tuple("a", 2, false),
                tuple("b", 1, true),
                tuple("b2", 1, false),
                tuple("c", 2, true));
        assertThat(rows.get(0)).containsEntry("note", "edited again");
        assertThat((BigDecimal) rows.get(0).get("amount")).isEqualByComparingTo("1.50");
        assertThat(rows.get(3)).as("the row moved to its new key with its values").containsEntry("note", "second");
    }

    private static void assertAppendOnly(WarehouseFile file) {
        String table = "\"public\".\"events\"";
        assertThat(file.count("SELECT count(*) FROM " + table + " WHERE _cell_id = '" + CELL + "'"))
                .as("1 snapshot row, 3 inserts, 3 updates (old row retired + new row), 2 deletes").isEqualTo(12);
        assertThat(file.rows("SELECT _op, count(*) AS n FROM " + table + " GROUP BY _op ORDER BY _op"))
                .extracting(row -> row.get("_op"), row -> ((Number) row.get("n")).longValue())
                .containsExactly(tuple("c", 3L), tuple("d", 2L), tuple("r", 1L), tuple("u", 6L));
        assertThat(file.rows("SELECT kind, amount, _op, _deleted FROM " + table + " WHERE _deleted AND _op = 'd' ORDER BY kind"))
                .as("deletes carry the old row").extracting(row -> row.get("kind"), row -> row.get("amount"), row -> row.get("_op"))
                .containsExactly(tuple("click", 11, "d"), tuple("snapshot", 0, "d"));
        assertThat(file.count("SELECT count(*) FROM " + table + " WHERE _deleted AND _op = 'u'")).as("old rows retired by updates").isEqualTo(3);
        Map<String, Object> viewUpdate = file.row("SELECT amount, length(payload) AS payload_length, payload = (SELECT payload FROM "
                + table + " WHERE kind = 'view' AND _op = 'c') AS same_payload FROM " + table + " WHERE kind = 'view' AND _op = 'u' AND NOT _deleted");
        assertThat(viewUpdate).as("the unchanged TOAST value comes from the old row of REPLICA IDENTITY FULL")
                .containsEntry("amount", 5).containsEntry("payload_length", 32L * PAYLOAD_CHUNKS).containsEntry("same_payload", true);
    }

    private static String payload() {
        return "(SELECT string_agg(md5(g::text), '' ORDER BY g) FROM generate_series(1, " + PAYLOAD_CHUNKS + ") g)";
    }
}
