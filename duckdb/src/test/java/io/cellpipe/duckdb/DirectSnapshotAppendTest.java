package io.cellpipe.duckdb;

import static io.cellpipe.duckdb.Fixtures.column;
import static io.cellpipe.duckdb.Fixtures.key;
import static io.cellpipe.duckdb.Fixtures.table;
import static io.cellpipe.duckdb.Fixtures.transaction;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableSchema;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshot rows appended straight into their table (values read in Java) must hold exactly what
 * the staged path (text cast by DuckDB) gives for the same text, and text Java does not read must
 * still load, the staged way.
 */
class DirectSnapshotAppendTest {
    static final TableSchema DIRECT_KINDS = table("types.direct_kinds",
            key("id", ColumnKind.INT32),
            column("b", ColumnKind.BOOLEAN),
            column("i16", ColumnKind.INT16),
            column("i64", ColumnKind.INT64),
            column("f32", ColumnKind.FLOAT32),
            column("f64", ColumnKind.FLOAT64),
            new Column("dec", ColumnType.decimal(12, 4, "numeric(12,4)"), false),
            column("num", ColumnKind.NUMERIC_TEXT),
            column("txt", ColumnKind.TEXT),
            column("d", ColumnKind.DATE),
            column("ts", ColumnKind.TIMESTAMP),
            column("tstz", ColumnKind.TIMESTAMPTZ),
            column("u", ColumnKind.UUID),
            column("j", ColumnKind.JSON),
            new Column("d4", ColumnType.decimal(4, 2, "numeric(4,2)"), false),
            new Column("d9", ColumnType.decimal(9, 3, "numeric(9,3)"), false));

    /** Values as PostgreSQL prints them, each read by Java. */
    static final List<String[]> READABLE = List.of(
            new String[] {"1", "t", "-32768", "-9223372036854775808", "3.14159274", "0.10000000000000001", "12345678.1234",
                "123456789012345678901234567890.123456789", "héllo \"wörld\"\n\ttab ☃ 'q'", "2024-02-29", "2024-01-02 03:04:05.123456",
                "2024-01-02 03:04:05.123456+00", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{\"a\": [1, 2.5, {\"b\": null}], \"c\": \"d\"}", "99.99", "-999999.999"},
            new String[] {"2", "f", "32767", "9223372036854775807", "NaN", "Infinity", "-0.0001", "NaN", "", "0001-01-01",
                "1999-12-31 23:59:59", "2000-01-01 00:00:00.000001+00", "00000000-0000-0000-0000-000000000000", "[]", "-0.01", "0.000"},
            new String[] {"3", null, "0", "0", "-Infinity", "-Infinity", "99999999.9999", "-0.000000001", "'", "9999-12-31",
                "1969-12-31 23:59:59.5", "1900-02-28 12:00:00.1+00", "ffffffff-ffff-ffff-ffff-ffffffffffff", "\"a string\"", "0", "123456.7"},
            new String[] {"4", "t", "-1", "-1", "1.40129846e-45", "4.9406564584124654e-324", "0.0000", "0", null, "1970-01-01",
                "2024-01-01 00:00:00", "2024-01-01 00:00:01+00", null, "null", null, "-1"},
            new String[] {"5", null, null, null, "-0", "1.7976931348623157e+308", "-99999999.9999", null, null, null, null,
                "2038-01-19 03:14:08+00", "7fffffff-0000-0000-0000-000000000000", "{\"k\": 1, \"tag\": \"t1\"}", "-99.99", null});

    /** Values only DuckDB's cast reads: their loads fall back to the staged path. */
    static final List<String[]> CAST_BY_DUCKDB = List.of(
            new String[] {"6", "t", "1", "1", "1", "1", "1", "1", "x", "infinity", "-infinity", "infinity", null, null, "1", "1"},
            new String[] {"7", "t", "1", "1", "1", "1", "1", "1", "x", "0044-03-15 BC", "0044-03-15 10:00:00 BC",
                "0044-03-15 10:00:00+00 BC", null, null, "1", "1"},
            new String[] {"8", "t", "1", "1", "1", "1", "1.5", "1", "x", "12345-01-01", null, null, null, null, "1", "1"});

    @TempDir
    Path directory;

    @Test
    void readableRowsHoldWhatTheStagedPathGives() throws Exception {
        Path file = directory.resolve("warehouse.duckdb");
        try (DuckDbDestination destination = new DuckDbDestination(DuckDbOptions.of(file))) {
            destination.beginSnapshot("direct", List.of(DIRECT_KINDS));
            destination.loadSnapshotRows("direct", DIRECT_KINDS, images(READABLE));
            for (String[] row : CAST_BY_DUCKDB) {
                destination.loadSnapshotRows("direct", DIRECT_KINDS, images(List.<String[]>of(row)));
            }
            List<Change> inserts = new ArrayList<>();
            images(READABLE).forEach(row -> inserts.add(Change.insert(DIRECT_KINDS, row)));
            images(CAST_BY_DUCKDB).forEach(row -> inserts.add(Change.insert(DIRECT_KINDS, row)));
            destination.apply(List.of(transaction("staged", 10, inserts.toArray(Change[]::new))));
        }

        assertSameRows(file, READABLE.size() + CAST_BY_DUCKDB.size());
    }

    @Test
    void onlyReadableRowsAreAppendedDirectly() {
        WarehouseTable table = warehouseTable();
        assertThat(DirectSnapshotAppend.of(table)).isPresent();
        for (String[] row : READABLE) {
            assertThat(readsAll(row)).as("row %s", row[0]).isTrue();
        }
        for (String[] row : CAST_BY_DUCKDB) {
            assertThat(readsAll(row)).as("row %s", row[0]).isFalse();
        }
        WarehouseTable withInterval = new WarehouseTable(table.id(), List.of(new WarehouseColumn("iv", "INTERVAL")), true);
        assertThat(DirectSnapshotAppend.of(withInterval)).isEmpty();
        // a column added after the table was created is stored after the metadata, where an appender cannot fill it in order
        assertThat(DirectSnapshotAppend.of(new WarehouseTable(table.id(), table.columns(), false))).isEmpty();
    }

    /** Seeded random timestamps and dates across years 1 to 9999, against java.time. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void timestampsReadAsJavaTimeReadsThem(long seed) {
        Random random = new Random(seed);
        long min = LocalDateTime.of(1, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
        long max = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);
        for (int i = 0; i < 10_000; i++) {
            long seconds = min + (long) (random.nextDouble() * (max - min));
            int micros = random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000);
            LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, micros * 1000, ZoneOffset.UTC);
            // as PostgreSQL prints it: trailing zeros of the fraction dropped
            String text = String.format("%04d-%02d-%02d %02d:%02d:%02d", time.getYear(), time.getMonthValue(), time.getDayOfMonth(),
                    time.getHour(), time.getMinute(), time.getSecond())
                    + (micros == 0 ? "" : "." + String.format("%06d", micros).replaceAll("0+$", ""));
            long expected = seconds * 1_000_000L + micros;
            assertThat(IsoTimestamp.epochMicros(text, false)).as(text).isEqualTo(expected);
            assertThat(IsoTimestamp.epochMicros(text + "+00", true)).as(text).isEqualTo(expected);
            assertThat(IsoTimestamp.epochDay(text, 0)).as(text).isEqualTo(time.toLocalDate().toEpochDay());
        }
        assertThat(IsoTimestamp.epochDay("2023-02-29", 0)).isEqualTo(IsoTimestamp.UNREAD);
        assertThat(IsoTimestamp.epochMicros("2024-01-01 24:00:00", false)).isEqualTo(IsoTimestamp.UNREAD);
        assertThat(IsoTimestamp.epochMicros("2024-01-01 10:00:00+02", true)).isEqualTo(IsoTimestamp.UNREAD);
        assertThat(IsoTimestamp.epochMicros("2024-01-01 10:00:00.1234567", false)).isEqualTo(IsoTimestamp.UNREAD);
        assertThat(LocalDate.ofEpochDay(IsoTimestamp.epochDay("0001-01-01", 0))).isEqualTo(LocalDate.of(1, 1, 1));
    }

    @Test
    void numbersOutsideTheirTypeAreLeftToDuckDb() {
        assertThat(read(TextConversion.SMALLINT, "32768")).isSameAs(NOT_READ);
        assertThat(read(TextConversion.INTEGER, "2147483648")).isSameAs(NOT_READ);
        assertThat(read(TextConversion.BIGINT, "9223372036854775808")).isSameAs(NOT_READ);
        assertThat(read(TextConversion.BIGINT, "+1")).isSameAs(NOT_READ);
        assertThat(read(TextConversion.BIGINT, "-9223372036854775807")).isEqualTo(-9223372036854775807L);
        assertThat(read(TextConversion.DOUBLE, "0x1p3")).isSameAs(NOT_READ);
        assertThat(read(TextConversion.DOUBLE, "1d")).isSameAs(NOT_READ);
    }

    /** Plain decimals of up to 18 digits are read into the unscaled value; others exactly, or left to DuckDB. */
    @Test
    void decimalsAreReadExactlyOrLeftToDuckDb() {
        TextConversion.Conversion decimal = TextConversion.forType("DECIMAL(4,2)").orElseThrow();
        assertThat(read(decimal, "99.99")).isEqualTo(9999L);
        assertThat(read(decimal, "-0.5")).isEqualTo(-50L);
        assertThat(read(decimal, "7")).isEqualTo(700L);
        assertThat(read(decimal, "-0")).isEqualTo(0L);
        assertThat(read(decimal, "100.00")).isSameAs(NOT_READ);
        assertThat(read(decimal, "1.005")).isSameAs(NOT_READ);
        assertThat(read(decimal, "1.500")).isEqualTo(new java.math.BigDecimal("1.50"));
        assertThat(read(decimal, "NaN")).isSameAs(NOT_READ);
        assertThat(read(decimal, "-")).isSameAs(NOT_READ);
        assertThat(read(decimal, "")).isSameAs(NOT_READ);
        TextConversion.Conversion wide = TextConversion.forType("DECIMAL(18,6)").orElseThrow();
        assertThat(read(wide, "999999999999.999999")).isEqualTo(999_999_999_999_999_999L);
        assertThat(read(wide, "-123456789012.5")).isEqualTo(-123_456_789_012_500_000L);
        assertThat(read(wide, "1000000000000")).isSameAs(NOT_READ);
        TextConversion.Conversion huge = TextConversion.forType("DECIMAL(38,10)").orElseThrow();
        assertThat(read(huge, "1234567890123456789012.5")).isEqualTo(new java.math.BigDecimal("1234567890123456789012.5000000000"));
    }

    /** Seeded random decimals: the unscaled reading agrees with BigDecimal's. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2})
    void unscaledDecimalsAgreeWithBigDecimal(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            int precision = 1 + random.nextInt(18);
            int scale = random.nextInt(precision + 1);
            TextConversion.Conversion decimal = TextConversion.forType("DECIMAL(" + precision + "," + scale + ")").orElseThrow();
            java.math.BigDecimal value = new java.math.BigDecimal(new java.math.BigInteger(64, random), random.nextInt(scale + 2))
                    .remainder(java.math.BigDecimal.TEN.pow(precision + 1 - scale));
            if (random.nextBoolean()) {
                value = value.negate();
            }
            String text = value.toPlainString();
            Object expected;
            try {
                java.math.BigDecimal scaled = value.setScale(scale, java.math.RoundingMode.UNNECESSARY);
                expected = scaled.precision() > precision ? NOT_READ : scaled.unscaledValue().longValueExact();
            } catch (ArithmeticException e) {
                expected = NOT_READ;
            }
            Object read = read(decimal, text);
            // a text with more fraction digits than the scale (all zeros) is read exactly by the general path
            Object unscaled = read instanceof java.math.BigDecimal exact ? exact.unscaledValue().longValueExact() : read;
            assertThat(unscaled).as("%s as DECIMAL(%d,%d)", text, precision, scale).isEqualTo(expected);
        }
    }

    private static final Object NOT_READ = new Object();

    /** The value a conversion reads into a slot, or {@link #NOT_READ}. */
    private static Object read(TextConversion conversion, String text) {
        return read(new TextConversion.Simple(conversion), text);
    }

    private static Object read(TextConversion.Conversion conversion, String text) {
        RowSlots slots = new RowSlots(1);
        return conversion.read(text, slots, 0) ? slots.value(0) : NOT_READ;
    }

    private boolean readsAll(String[] row) {
        WarehouseTable table = warehouseTable();
        TableBinding binding = TableBinding.of(table, DIRECT_KINDS);
        RowSlots slots = new RowSlots(table.width());
        for (int index = 0; index < row.length; index++) {
            int position = binding.position(index);
            if (row[index] != null && !TextConversion.forType(table.column(position).sqlType()).orElseThrow().read(row[index], slots, position)) {
                return false;
            }
        }
        return true;
    }

    private static WarehouseTable warehouseTable() {
        List<WarehouseColumn> columns = new ArrayList<>();
        for (Column column : DIRECT_KINDS.columns()) {
            columns.add(new WarehouseColumn(column.name(), DuckDbTypes.sqlType(column.type())));
        }
        return new WarehouseTable(DIRECT_KINDS.id(), columns, true);
    }

    private static List<RowImage> images(List<String[]> rows) {
        return rows.stream().map(row -> RowImage.of(row.clone())).toList();
    }

    static void assertSameRows(Path file, int rows) {
        String columns = "id, b, i16, i64, f32, f64, dec, num, txt, d, ts, tstz, u, j, d4, d9";
        String table = DIRECT_KINDS.id().quoted();
        assertThat(WarehouseFile.query(file, "SELECT count(*) FROM " + table + " WHERE _cell_id = 'direct'"))
                .containsExactly(List.of(Integer.toString(rows)));
        for (String[] pair : new String[][] {{"direct", "staged"}, {"staged", "direct"}}) {
            String sql = "SELECT " + columns + ", typeof(j) FROM " + table + " WHERE _cell_id = '" + pair[0] + "' EXCEPT SELECT " + columns
                    + ", typeof(j) FROM " + table + " WHERE _cell_id = '" + pair[1] + "'";
            assertThat(WarehouseFile.query(file, sql)).as("rows of %s that %s lacks", pair[0], pair[1]).isEmpty();
        }
        // compared as text too: equal values of a type can still print differently (e.g. JSON spacing)
        String text = "SELECT " + String.join(", ", java.util.Arrays.stream(columns.split(", ")).map(c -> "CAST(" + c + " AS VARCHAR)").toList())
                + " FROM " + table + " WHERE _cell_id = ? ORDER BY id";
        assertThat(WarehouseFile.query(file, text.replace("?", "'direct'"))).isEqualTo(WarehouseFile.query(file, text.replace("?", "'staged'")));
        assertThat(WarehouseFile.query(file, "SELECT count(*) FROM " + table + " WHERE _cell_id = 'direct' AND (_op <> 'r' OR _deleted"
                + " OR _commit_ts IS NOT NULL OR _uploaded_at IS NULL OR _lsn IS NULL)")).containsExactly(List.of("0"));
    }
}
