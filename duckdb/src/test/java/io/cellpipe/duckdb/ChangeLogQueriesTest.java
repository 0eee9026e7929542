package io.cellpipe.duckdb;

import static io.cellpipe.duckdb.Fixtures.column;
import static io.cellpipe.duckdb.Fixtures.key;
import static io.cellpipe.duckdb.Fixtures.row;
import static io.cellpipe.duckdb.Fixtures.table;
import static io.cellpipe.duckdb.Fixtures.transaction;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.TableSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The root-cause queries of docs/operations.md ("Root-cause analysis with the change log") answer what they say. */
class ChangeLogQueriesTest extends WarehouseTestBase {
    private static final TableSchema USERS = table("public.users", key("id", ColumnKind.INT64), column("state", ColumnKind.TEXT));

    static final String HISTORY_OF_A_ROW = """
            SELECT commit_ts, lsn, xid, op, json_extract_string("after", '$.state') AS state, "before", "after"
            FROM _cellpipe.changes
            WHERE cell_id = 'cell-7' AND table_name = 'public.users' AND json_extract_string("key", '$.id') = '42'
            ORDER BY lsn_value, seq""";

    static final String AS_OF = """
            SELECT "key", op, "after" FROM (
              SELECT *, row_number() OVER (PARTITION BY CAST("key" AS VARCHAR) ORDER BY lsn_value DESC, seq DESC) AS latest
              FROM _cellpipe.changes
              WHERE cell_id = 'cell-7' AND table_name = 'public.users' AND commit_ts <= TIMESTAMPTZ '2024-05-01 10:00:02.5+00')
            WHERE latest = 1 AND op <> 'd' ORDER BY CAST(json_extract_string("key", '$.id') AS BIGINT)""";

    @Test
    void theDocumentedQueriesAnswerWhenARowChangedAndToWhat() {
        destination.apply(List.of(
                transaction("cell-7", 1, Change.insert(USERS, row("42", "active")), Change.insert(USERS, row("43", "active"))),
                transaction("cell-7", 2, Change.update(USERS, null, row("42", "blocked"))),
                transaction("cell-8", 3, Change.insert(USERS, row("42", "other cell"))),
                transaction("cell-7", 4, Change.delete(USERS, row("42", null)))));

        List<List<String>> history = query(HISTORY_OF_A_ROW);
        assertThat(history).extracting(change -> change.get(3)).containsExactly("c", "u", "d");
        assertThat(history).extracting(change -> change.get(4)).containsExactly("active", "blocked", null);
        assertThat(history.get(1).get(0)).isEqualTo("2024-05-01T10:00:02.123456Z");

        List<List<String>> asOf = query(AS_OF);
        assertThat(asOf).extracting(change -> change.get(2)).containsExactly("{\"id\":\"42\",\"state\":\"blocked\"}",
                "{\"id\":\"43\",\"state\":\"active\"}");
    }
}
