package io.cellpipe.duckdb;

import static io.cellpipe.duckdb.Fixtures.column;
import static io.cellpipe.duckdb.Fixtures.key;
import static io.cellpipe.duckdb.Fixtures.scan;
import static io.cellpipe.duckdb.Fixtures.table;
import static io.cellpipe.duckdb.Fixtures.transaction;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.verify.CanonicalValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every column kind goes in as PostgreSQL's text (UTC, ISO dates, iso_8601 intervals, hex bytea)
 * and comes back out of {@code scan} as the same canonical value, through {@code apply} and
 * through a snapshot load.
 */
class TypeRoundTripTest {
    static final TableSchema ALL_KINDS = table("types.all_kinds",
            key("id", ColumnKind.INT32),
            column("b", ColumnKind.BOOLEAN),
            column("i16", ColumnKind.INT16),
            column("i32", ColumnKind.INT32),
            column("i64", ColumnKind.INT64),
            column("f32", ColumnKind.FLOAT32),
            column("f64", ColumnKind.FLOAT64),
            new Column("dec", ColumnType.decimal(12, 4, "numeric(12,4)"), false),
            column("num", ColumnKind.NUMERIC_TEXT),
            column("txt", ColumnKind.TEXT),
            column("d", ColumnKind.DATE),
            column("ts", ColumnKind.TIMESTAMP),
            column("tstz", ColumnKind.TIMESTAMPTZ),
            column("t", ColumnKind.TIME),
            column("ttz", ColumnKind.TIMETZ),
            column("iv", ColumnKind.INTERVAL),
            column("u", ColumnKind.UUID),
            column("j", ColumnKind.JSON),
            column("by", ColumnKind.BYTES));

    /** PostgreSQL's text of each row, then the canonical text scan must give. */
    static final List<String[][]> ROWS = List.of(
            new String[][] {
                {"1", "t", "-32768", "2147483647", "-9223372036854775808", "3.14159274", "0.10000000000000001", "12345678.1234",
                    "123456789012345678901234567890.123456789", "héllo \"wörld\"\n\ttab ☃ 'q'", "2024-02-29", "2024-01-02 03:04:05.123456",
                    "2024-01-02 03:04:05.123456+00", "23:59:59.999999", "10:00:00+02", "P1Y2M3DT4H5M6S",
                    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{\"a\": [1, 2.5, {\"b\": null}], \"c\": \"d\"}", "\\x000aff"},
                {"1", "true", "-32768", "2147483647", "-9223372036854775808", "3.1415927", "0.1", "12345678.1234",
                    "123456789012345678901234567890.123456789", "héllo \"wörld\"\n\ttab ☃ 'q'", "2024-02-29", "2024-01-02 03:04:05.123456",
                    "2024-01-02 03:04:05.123456+00", "23:59:59.999999", "10:00:00+02", "14/3/14706000000",
                    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{\"a\": [1, 2.5, {\"b\": null}], \"c\": \"d\"}", "000aff"}},
            new String[][] {
                {"2", "f", "0", "-1", "1", "NaN", "Infinity", "-0.0001", "NaN", "", "infinity", "infinity", "-infinity", "24:00:00",
                    "10:00:00.5-03:30", "P-1Y-2M3DT-4H-5M-6.5S", "00000000-0000-0000-0000-000000000000", "[]", "\\x"},
                {"2", "false", "0", "-1", "1", "NaN", "Infinity", "-0.0001", "NaN", "", "infinity", "infinity", "-infinity", "24:00:00",
                    "10:00:00.5-03:30", "-14/3/-14706500000", "00000000-0000-0000-0000-000000000000", "[]", ""}},
            new String[][] {
                {"3", "t", "32767", "-2147483648", "9223372036854775807", "-Infinity", "-Infinity", "99999999.9999", "-0.000000001",
                    "'", "0044-03-15 BC", "0044-03-15 10:00:00 BC", "0044-03-15 10:00:00+00 BC", "00:00:00", "00:00:00+00", "PT0S",
                    "ffffffff-ffff-ffff-ffff-ffffffffffff", "\"a string\"", "\\xDEADBEEF"},
                {"3", "true", "32767", "-2147483648", "9223372036854775807", "-Infinity", "-Infinity", "99999999.9999", "-0.000000001",
                    "'", "0044-03-15 BC", "0044-03-15 10:00:00 BC", "0044-03-15 10:00:00+00 BC", "00:00:00", "00:00:00+00", "0/0/0",
                    "ffffffff-ffff-ffff-ffff-ffffffffffff", "\"a string\"", "deadbeef"}},
            new String[][] {
                {"4", null, null, null, null, "1.40129846e-45", "4.9406564584124654e-324", "0.0000", "0", null, "0001-01-01",
                    "1999-12-31 23:59:59", "2000-01-01 00:00:00.000001+00", null, null, "PT1000H0.000001S", null, "null", null},
                {"4", null, null, null, null, "1.4E-45", "4.9E-324", "0", "0", null, "0001-01-01", "1999-12-31 23:59:59",
                    "2000-01-01 00:00:00.000001+00", null, null, "0/0/3600000000001", null, "null", null}},
            new String[][] {
                {"5", null, null, null, null, null, "1.7976931348623157e+308", null, null, null, null, null, null, null, null,
                    "P-5DT2H", null, null, null},
                {"5", null, null, null, null, null, "1.7976931348623157E308", null, null, null, null, null, null, null, null,
                    "0/-5/7200000000", null, null, null}});

    @TempDir
    Path directory;
    DuckDbDestination destination;

    @BeforeEach
    void open() {
        destination = new DuckDbDestination(DuckDbOptions.of(directory.resolve("warehouse.duckdb")));
    }

    @AfterEach
    void close() {
        destination.close();
    }

    @Test
    void everyKindRoundTripsThroughApply() {
        List<Change> inserts = new ArrayList<>();
        for (String[][] row : ROWS) {
            inserts.add(Change.insert(ALL_KINDS, RowImage.of(row[0].clone())));
        }
        destination.apply(List.of(transaction("cell-1", 10, inserts.toArray(Change[]::new))));

        assertRoundTrip("cell-1");
    }

    @Test
    void everyKindRoundTripsThroughUpdatesAndDeletes() {
        List<Change> changes = new ArrayList<>();
        for (String[][] row : ROWS) {
            String[] blank = new String[row[0].length];
            blank[0] = row[0][0];
            changes.add(Change.insert(ALL_KINDS, RowImage.of(blank)));
        }
        destination.apply(List.of(transaction("cell-1", 10, changes.toArray(Change[]::new))));
        changes.clear();
        for (String[][] row : ROWS) {
            changes.add(Change.update(ALL_KINDS, null, RowImage.of(row[0].clone())));
        }
        destination.apply(List.of(transaction("cell-1", 20, changes.toArray(Change[]::new))));

        assertRoundTrip("cell-1");
    }

    @Test
    void everyKindRoundTripsThroughASnapshotLoad() {
        destination.beginSnapshot("cell-9", List.of(ALL_KINDS));
        destination.loadSnapshotRows("cell-9", ALL_KINDS, ROWS.stream().map(row -> RowImage.of(row[0].clone())).toList());

        assertRoundTrip("cell-9");
    }

    @Test
    void keysOfEveryOrderedKindScanInTheOrderVerificationExpects() {
        TableSchema keyed = table("types.keyed", key("k", ColumnKind.NUMERIC_TEXT), key("u", ColumnKind.UUID), key("s", ColumnKind.TEXT));
        destination.apply(List.of(transaction("cell-1", 10,
                Change.insert(keyed, RowImage.of("10", "00000000-0000-0000-0000-000000000001", "b")),
                Change.insert(keyed, RowImage.of("9.5", "ffffffff-0000-0000-0000-000000000000", "a")),
                Change.insert(keyed, RowImage.of("9.5", "7fffffff-0000-0000-0000-000000000000", "Z")),
                Change.insert(keyed, RowImage.of("9.5", "7fffffff-0000-0000-0000-000000000000", "é")),
                Change.insert(keyed, RowImage.of("9.5", "7fffffff-0000-0000-0000-000000000000", "a")),
                Change.insert(keyed, RowImage.of("-100", "00000000-0000-0000-0000-000000000000", "x")))));

        assertThat(scan(destination, "cell-1", keyed)).containsExactly(
                List.of("-100", "00000000-0000-0000-0000-000000000000", "x"),
                List.of("9.5", "7fffffff-0000-0000-0000-000000000000", "Z"),
                List.of("9.5", "7fffffff-0000-0000-0000-000000000000", "a"),
                List.of("9.5", "7fffffff-0000-0000-0000-000000000000", "é"),
                List.of("9.5", "ffffffff-0000-0000-0000-000000000000", "a"),
                List.of("10", "00000000-0000-0000-0000-000000000001", "b"));
    }

    private void assertRoundTrip(String cellId) {
        List<List<String>> scanned = scan(destination, cellId, ALL_KINDS);
        assertThat(scanned).hasSize(ROWS.size());
        for (int r = 0; r < ROWS.size(); r++) {
            String[] expected = ROWS.get(r)[1];
            List<String> actual = scanned.get(r);
            for (int c = 0; c < expected.length; c++) {
                ColumnKind kind = ALL_KINDS.columns().get(c).type().kind();
                assertThat(CanonicalValue.normalize(kind, actual.get(c)))
                        .as("row %s column %s (%s): scanned '%s'", r + 1, ALL_KINDS.columns().get(c).name(), kind, actual.get(c))
                        .isEqualTo(CanonicalValue.normalize(kind, expected[c]));
            }
        }
    }

    @Test
    void theTestCoversEveryKind() {
        Set<ColumnKind> covered = ALL_KINDS.columns().stream().map(column -> column.type().kind()).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrder(ColumnKind.values());
        assertThat(ROWS).allSatisfy(row -> assertThat(Arrays.asList(row)).allSatisfy(values -> assertThat(values).hasSize(19)));
    }
}
