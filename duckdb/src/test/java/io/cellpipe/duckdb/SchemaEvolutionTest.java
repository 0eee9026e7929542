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
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** New shapes of a table: added columns, widened, narrowed and incompatible types, clashing names. */
class SchemaEvolutionTest extends WarehouseTestBase {
    static final TableSchema V1 = table("app.things", key("id", ColumnKind.INT32), column("name", ColumnKind.TEXT));
    static final TableSchema V2 = table("app.things", key("id", ColumnKind.INT32), column("name", ColumnKind.TEXT),
            column("extra", ColumnKind.TEXT));

    String columnType(String table, String column) {
        return query("SELECT data_type FROM duckdb_columns() WHERE table_name = '" + table + "' AND column_name = '" + column + "'")
                .get(0).get(0);
    }

    @Test
    void aNewColumnIsAddedAndOlderShapesLeaveItAlone() {
        destination.apply(List.of(transaction("cell-1", 10, Change.insert(V1, row("1", "one")))));
        destination.apply(List.of(transaction("cell-1", 20, Change.insert(V2, row("2", "two", "e2")),
                Change.update(V2, null, row("1", "uno", "e1")))));
        destination.apply(List.of(transaction("cell-2", 30, Change.insert(V1, row("2", "other cell"))),
                transaction("cell-1", 40, Change.update(V1, null, row("2", "TWO")), Change.insert(V1, row("3", "three")))));

        assertThat(scan(destination, "cell-1", V2)).containsExactly(
                List.of("1", "uno", "e1"),
                List.of("2", "TWO", "e2"),
                Arrays.asList("3", "three", null));
        assertThat(scan(destination, "cell-1", V1)).containsExactly(List.of("1", "uno"), List.of("2", "TWO"), List.of("3", "three"));
        assertThat(scan(destination, "cell-2", V2)).containsExactly(Arrays.asList("2", "other cell", null));
    }

    @Test
    void aShapeChangeWithinOneBatchIsApplied() {
        destination.apply(List.of(transaction("cell-1", 10, Change.insert(V1, row("1", "one")),
                Change.update(V2, null, row("1", "uno", "e1")))));

        assertThat(scan(destination, "cell-1", V2)).containsExactly(List.of("1", "uno", "e1"));
    }

    @Test
    void aWiderTypeWidensTheColumnAndANarrowerOneKeepsIt() {
        TableSchema small = table("app.counts", key("id", ColumnKind.INT32), new Column("n", ColumnType.of(ColumnKind.INT32, "integer"), false),
                new Column("price", ColumnType.decimal(10, 2, "numeric(10,2)"), false));
        TableSchema wide = table("app.counts", key("id", ColumnKind.INT32), new Column("n", ColumnType.of(ColumnKind.INT64, "bigint"), false),
                new Column("price", ColumnType.decimal(14, 3, "numeric(14,3)"), false));
        destination.apply(List.of(transaction("cell-1", 10, Change.insert(small, row("1", "7", "12345678.91")))));
        destination.apply(List.of(transaction("cell-1", 20, Change.insert(wide, row("2", "9000000000", "12345678901.234")))));
        destination.apply(List.of(transaction("cell-1", 30, Change.insert(small, row("3", "8", "1.50")))));

        assertThat(scan(destination, "cell-1", wide)).containsExactly(
                List.of("1", "7", "12345678.910"), List.of("2", "9000000000", "12345678901.234"), List.of("3", "8", "1.500"));
        assertThat(columnType("counts", "n")).isEqualTo("BIGINT");
        assertThat(columnType("counts", "price")).isEqualTo("DECIMAL(14,3)");
    }

    @Test
    void aDecimalBecomingUnconstrainedNumericWidensToText() {
        TableSchema exact = table("app.money", key("id", ColumnKind.INT32), new Column("v", ColumnType.decimal(6, 2, "numeric(6,2)"), false));
        TableSchema free = table("app.money", key("id", ColumnKind.INT32), new Column("v", ColumnType.of(ColumnKind.NUMERIC_TEXT, "numeric"), false));
        destination.apply(List.of(transaction("cell-1", 10, Change.insert(exact, row("1", "1234.50")))));
        destination.apply(List.of(transaction("cell-1", 20, Change.insert(free, row("2", "NaN")), Change.insert(free, row("3", "1e-30")))));
        destination.apply(List.of(transaction("cell-1", 30, Change.insert(exact, row("4", "0.25")))));

        assertThat(scan(destination, "cell-1", free)).containsExactly(
                List.of("1", "1234.50"), List.of("2", "NaN"), List.of("3", "1e-30"), List.of("4", "0.25"));
        assertThat(columnType("money", "v")).isEqualTo("VARCHAR");
    }

    @Test
    void anIncompatibleTypeStopsTheTableAndWritesNothing() {
        TableSchema other = table("app.other", key("id", ColumnKind.INT32));
        TableSchema uuid = table("app.things", key("id", ColumnKind.INT32),
                new Column("name", ColumnType.of(ColumnKind.UUID, "uuid"), false));
        destination.apply(List.of(transaction("cell-1", 10, Change.insert(V1, row("1", "one")))));
        destination.completeSnapshot("cell-1", new io.cellpipe.core.model.Lsn(10), Fixtures.T0);

        assertThatThrownBy(() -> destination.apply(List.of(transaction("cell-1", 20, Change.insert(other, row("5")),
                Change.insert(uuid, row("2", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))))))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.cellId()).isEqualTo("cell-1");
                    assertThat(e.table()).isEqualTo(new TableId("app", "things"));
                    assertThat(e.getMessage()).contains("cell-1", "\"name\"", "app.things", "uuid", "UUID", "VARCHAR", "ALTER TABLE",
                            "resync the table");
                });
        assertThat(scan(destination, "cell-1", V1)).containsExactly(List.of("1", "one"));
        assertThat(scan(destination, "cell-1", other)).isEmpty();
        assertThat(destination.checkpoint("cell-1").orElseThrow().lsn().value()).isEqualTo(10);
    }

    @Test
    void namesDuckDbCannotTellApartAreRefused() {
        TableSchema reserved = table("app.clash", key("id", ColumnKind.INT32), column("_deleted", ColumnKind.TEXT));
        TableSchema cased = table("app.cased", key("id", ColumnKind.INT32), column("Name", ColumnKind.TEXT), column("name", ColumnKind.TEXT));

        assertThatThrownBy(() -> destination.apply(List.of(transaction("cell-1", 10, Change.insert(reserved, row("1", "x"))))))
                .isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("\"_deleted\"").hasMessageContaining("Rename");
        assertThatThrownBy(() -> destination.apply(List.of(transaction("cell-1", 10, Change.insert(cased, row("1", "x", "y"))))))
                .isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("case-insensitively");
    }

    @Test
    void aTableCellpipeDidNotCreateIsNotTouched() throws Exception {
        destination.close();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA app");
            statement.execute("CREATE TABLE app.things (id INTEGER, name VARCHAR)");
        }
        destination = new DuckDbDestination(DuckDbOptions.of(file));

        assertThatThrownBy(() -> destination.apply(List.of(transaction("cell-1", 10, Change.insert(V1, row("1", "one"))))))
                .isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("that cellpipe did not create");
    }
}
