package io.cellpipe.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tuples encoded here as PostgreSQL's send functions write them are read into the values the
 * appender stores; values DuckDB's cast of their text would read differently, or not at all, are
 * refused, and a tuple that is not of the table's shape is an error.
 */
class BinaryTupleReaderTest {
    private static final LocalDate POSTGRES_EPOCH = LocalDate.of(2000, 1, 1);

    private static Column column(String name, ColumnKind kind, String sourceType) {
        return new Column(name, ColumnType.of(kind, sourceType), false);
    }

    private static Column decimal(String name, int precision, int scale) {
        return new Column(name, ColumnType.decimal(precision, scale, "numeric(" + precision + "," + scale + ")"), false);
    }

    private static final TableSchema SHAPE = new TableSchema(new TableId("public", "binary_kinds"), List.of(
            column("b", ColumnKind.BOOLEAN, "boolean"),
            column("i16", ColumnKind.INT16, "smallint"),
            column("i32", ColumnKind.INT32, "integer"),
            column("i64", ColumnKind.INT64, "bigint"),
            column("f32", ColumnKind.FLOAT32, "real"),
            column("f64", ColumnKind.FLOAT64, "double precision"),
            decimal("d4", 4, 2),
            decimal("d18", 18, 6),
            decimal("d38", 38, 10),
            column("u", ColumnKind.UUID, "uuid"),
            column("d", ColumnKind.DATE, "date"),
            column("ts", ColumnKind.TIMESTAMP, "timestamp without time zone"),
            column("tstz", ColumnKind.TIMESTAMPTZ, "timestamp with time zone"),
            column("by", ColumnKind.BYTES, "bytea"),
            column("jb", ColumnKind.JSON, "jsonb"),
            column("txt", ColumnKind.TEXT, "text"),
            column("num", ColumnKind.NUMERIC_TEXT, "numeric"),
            column("gone", ColumnKind.INT64, "redact(bigint)"),
            column("pos", ColumnKind.INT32, "positive_int")));

    private static BinaryTupleReader reader(TableSchema shape) {
        return BinaryTupleReader.of(binding(shape)).orElseThrow();
    }

    private static TableBinding binding(TableSchema shape) {
        List<WarehouseColumn> columns = new ArrayList<>();
        for (Column column : shape.columns()) {
            columns.add(new WarehouseColumn(column.name(), DuckDbTypes.sqlType(column.type())));
        }
        return TableBinding.of(new WarehouseTable(shape.id(), columns, true), shape);
    }

    @Test
    void eachFormIsReadAsTheValueItsTextCastsTo() {
        UUID uuid = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        LocalDateTime ts = LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000);
        byte[] tuple = new Tuple()
                .field(new byte[] {1})
                .field(ByteBuffer.allocate(2).putShort((short) -32768).array())
                .field(ByteBuffer.allocate(4).putInt(2_147_483_647).array())
                .field(ByteBuffer.allocate(8).putLong(-1L).array())
                .field(ByteBuffer.allocate(4).putFloat(1.4e-45f).array())
                .field(ByteBuffer.allocate(8).putDouble(-0.0).array())
                .field(numeric(new BigDecimal("-99.99")))
                .field(numeric(new BigDecimal("123456789012.345600")))
                .field(numeric(new BigDecimal("1234567890123456789012345678.0123456789")))
                .field(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array())
                .field(ByteBuffer.allocate(4).putInt((int) (LocalDate.of(1, 1, 1).toEpochDay() - POSTGRES_EPOCH.toEpochDay())).array())
                .field(ByteBuffer.allocate(8).putLong(micros(ts) - micros(POSTGRES_EPOCH.atStartOfDay())).array())
                .field(ByteBuffer.allocate(8).putLong(micros(LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000))
                        - micros(POSTGRES_EPOCH.atStartOfDay())).array())
                .field(new byte[] {0, (byte) 0xFF, 0})
                .field(jsonb("{\"a\": [1, 2.50, null, \"é\"]}"))
                .field("tab\there ☃ \uD83D\uDE00".getBytes(StandardCharsets.UTF_8))
                .field("123456789012345678901234567890.5".getBytes(StandardCharsets.UTF_8))
                .nul()
                .field("42".getBytes(StandardCharsets.UTF_8))
                .bytes();
        RowSlots row = new RowSlots(SHAPE.columns().size());

        assertThat(reader(SHAPE).read(tuple, 0, tuple.length, row)).isTrue();

        assertThat(row.value(0)).isEqualTo(true);
        assertThat(row.value(1)).isEqualTo((short) -32768);
        assertThat(row.value(2)).isEqualTo(2_147_483_647);
        assertThat(row.value(3)).isEqualTo(-1L);
        assertThat(row.value(4)).isEqualTo(1.4e-45f);
        assertThat(Double.doubleToRawLongBits((Double) row.value(5))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(row.value(6)).isEqualTo(-9999L);
        assertThat(row.value(7)).isEqualTo(123456789012345600L);
        assertThat(row.value(8)).isEqualTo(new BigDecimal("1234567890123456789012345678.0123456789"));
        assertThat(row.value(9)).isEqualTo(uuid);
        assertThat(row.value(10)).isEqualTo(LocalDate.of(1, 1, 1).toEpochDay());
        assertThat(row.value(11)).isEqualTo(micros(ts));
        assertThat(row.value(12)).isEqualTo(micros(LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000)));
        assertThat((byte[]) row.value(13)).containsExactly(0, 0xFF, 0);
        assertThat(new String((byte[]) row.value(14), StandardCharsets.UTF_8)).isEqualTo("{\"a\": [1, 2.50, null, \"é\"]}");
        assertThat(new String((byte[]) row.value(15), StandardCharsets.UTF_8)).isEqualTo("tab\there ☃ \uD83D\uDE00");
        assertThat(new String((byte[]) row.value(16), StandardCharsets.UTF_8)).isEqualTo("123456789012345678901234567890.5");
        assertThat(row.value(17)).isNull();
        assertThat(row.value(18)).isEqualTo(42);
    }

    @Test
    void nanIsStoredAsTheCastOfItsTextStoresIt() {
        TableSchema floats = new TableSchema(new TableId("public", "floats"), List.of(column("f32", ColumnKind.FLOAT32, "real"),
                column("f64", ColumnKind.FLOAT64, "double precision")));
        byte[] tuple = new Tuple().field(ByteBuffer.allocate(4).putInt(0x7FC00001).array())
                .field(ByteBuffer.allocate(8).putLong(0xFFF8000000000001L).array()).bytes();
        RowSlots row = new RowSlots(2);

        assertThat(reader(floats).read(tuple, 0, tuple.length, row)).isTrue();

        assertThat(Float.floatToRawIntBits((Float) row.value(0))).isEqualTo(Float.floatToRawIntBits(Float.NaN));
        assertThat(Double.doubleToRawLongBits((Double) row.value(1))).isEqualTo(Double.doubleToRawLongBits(Double.NaN));
    }

    /** Random decimals of every precision and scale, as PostgreSQL sends them, read exactly. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void decimalsOfEveryPrecisionAndScaleAreReadExactly(long seed) {
        Random random = new Random(seed);
        for (int trial = 0; trial < 2_000; trial++) {
            int precision = 1 + random.nextInt(38);
            int scale = random.nextInt(precision + 1);
            BigInteger unscaled = new BigInteger(precision * 4, random).mod(BigInteger.TEN.pow(precision));
            BigDecimal value = new BigDecimal(random.nextBoolean() ? unscaled.negate() : unscaled, scale);
            TableSchema shape = new TableSchema(new TableId("public", "decimals"), List.of(decimal("d", precision, scale)));
            byte[] tuple = new Tuple().field(numeric(value)).bytes();
            RowSlots row = new RowSlots(1);

            assertThat(reader(shape).read(tuple, 0, tuple.length, row)).as("%s as numeric(%d,%d)", value, precision, scale).isTrue();

            Object expected = precision <= 18 ? (Object) value.unscaledValue().longValueExact() : value;
            assertThat(row.value(0)).as("%s as numeric(%d,%d)", value, precision, scale).isEqualTo(expected);
        }
    }

    @Test
    void valuesTheCastReadsDifferentlyOrNotAtAllAreRefused() {
        assertRefused(decimal("d", 12, 2), special(0xC000));
        assertRefused(decimal("d", 12, 2), special(0xD000));
        assertRefused(decimal("d", 12, 2), special(0xF000));
        assertRefused(decimal("d", 12, 2), numeric(new BigDecimal("1.005")));
        assertRefused(decimal("d", 4, 2), numeric(new BigDecimal("100.00")));
        assertRefused(decimal("d", 38, 2), numeric(new BigDecimal("0.001")));
        assertRefused(column("d", ColumnKind.DATE, "date"), ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
        assertRefused(column("d", ColumnKind.DATE, "date"), ByteBuffer.allocate(4).putInt(Integer.MIN_VALUE).array());
        assertRefused(column("d", ColumnKind.DATE, "date"),
                ByteBuffer.allocate(4).putInt((int) (LocalDate.of(0, 12, 31).toEpochDay() - POSTGRES_EPOCH.toEpochDay())).array());
        assertRefused(column("d", ColumnKind.DATE, "date"),
                ByteBuffer.allocate(4).putInt((int) (LocalDate.of(10_000, 1, 1).toEpochDay() - POSTGRES_EPOCH.toEpochDay())).array());
        assertRefused(column("ts", ColumnKind.TIMESTAMPTZ, "timestamp with time zone"), ByteBuffer.allocate(8).putLong(Long.MAX_VALUE).array());
        assertRefused(column("ts", ColumnKind.TIMESTAMP, "timestamp without time zone"), ByteBuffer.allocate(8).putLong(Long.MIN_VALUE).array());
        assertRefused(column("ts", ColumnKind.TIMESTAMP, "timestamp without time zone"), ByteBuffer.allocate(8)
                .putLong(micros(LocalDateTime.of(0, 12, 31, 23, 59, 59, 999_999_000)) - micros(POSTGRES_EPOCH.atStartOfDay())).array());
        assertRefused(column("jb", ColumnKind.JSON, "jsonb"), new byte[] {2, '{', '}'});
        assertRefused(column("txt", ColumnKind.TEXT, "text"), new byte[] {'a', (byte) 0xC0, (byte) 0x80});
        assertRefused(column("gone", ColumnKind.INT64, "redact(bigint)"), "twelve".getBytes(StandardCharsets.UTF_8));
        assertRefused(column("i", ColumnKind.INT32, "integer"), new byte[] {0, 0, 1});
    }

    private static void assertRefused(Column column, byte[] value) {
        TableSchema shape = new TableSchema(new TableId("public", "refused"), List.of(column));
        byte[] tuple = new Tuple().field(value).bytes();

        assertThat(reader(shape).read(tuple, 0, tuple.length, new RowSlots(1))).as(column.name() + " " + column.type()).isFalse();
    }

    @Test
    void aTupleNotOfTheShapeIsAnError() {
        TableSchema two = new TableSchema(new TableId("public", "two"), List.of(column("a", ColumnKind.INT32, "integer"),
                column("b", ColumnKind.TEXT, "text")));
        BinaryTupleReader reader = reader(two);
        byte[] one = new Tuple().field(new byte[4]).bytes();
        byte[] cut = new Tuple().field(new byte[4]).field(new byte[] {'x', 'y'}).bytes();
        byte[] longer = new Tuple().field(new byte[4]).field(new byte[] {'x'}).bytes();

        assertThatThrownBy(() -> reader.read(one, 0, one.length, new RowSlots(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 fields, expected 2");
        assertThatThrownBy(() -> reader.read(cut, 0, cut.length - 1, new RowSlots(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 bytes where 1 remain");
        assertThat(reader.read(longer, 0, longer.length, new RowSlots(2))).isTrue();
        byte[] padded = java.util.Arrays.copyOf(longer, longer.length + 3);
        assertThatThrownBy(() -> reader.read(padded, 0, padded.length, new RowSlots(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 bytes after its last field");
    }

    @Test
    void typesReadOnlyByDuckDbsCastOrWidenedColumnsAreNotReadInBinary() {
        TableSchema interval = new TableSchema(new TableId("public", "i"), List.of(column("iv", ColumnKind.INTERVAL, "interval")));
        assertThat(BinaryTupleReader.of(binding(interval))).isEmpty();

        TableSchema widened = new TableSchema(new TableId("public", "w"), List.of(column("n", ColumnKind.INT32, "integer")));
        TableBinding binding = TableBinding.of(new WarehouseTable(widened.id(), List.of(new WarehouseColumn("n", "BIGINT")), true), widened);
        assertThat(BinaryTupleReader.of(binding)).isEmpty();
    }

    @Test
    void onlyWellFormedUtf8WithoutNulIsText() {
        assertThat(BinaryTupleReader.isText(bytes(0x61, 0xC3, 0xA9, 0xE2, 0x98, 0x83, 0xF0, 0x9F, 0x98, 0x80, 0xF4, 0x8F, 0xBF, 0xBF), 0, 14))
                .isTrue();
        assertThat(BinaryTupleReader.isText(bytes(0xC3), 0, 1)).as("cut short").isFalse();
        assertThat(BinaryTupleReader.isText(bytes(0x61, 0x00), 0, 2)).as("NUL, the empty \"char\"").isFalse();
        assertThat(BinaryTupleReader.isText(bytes(0x80), 0, 1)).as("stray continuation").isFalse();
        assertThat(BinaryTupleReader.isText(bytes(0xC1, 0xBF), 0, 2)).as("overlong, two bytes").isFalse();
        assertThat(BinaryTupleReader.isText(bytes(0xE0, 0x9F, 0xBF), 0, 3)).as("overlong, three bytes").isFalse();
        assertThat(BinaryTupleReader.isText(bytes(0xED, 0xA0, 0x80), 0, 3)).as("surrogate").isFalse();
        assertThat(BinaryTupleReader.isText(bytes(0xF4, 0x90, 0x80, 0x80), 0, 4)).as("above U+10FFFF").isFalse();
        assertThat(BinaryTupleReader.isText(bytes(0xE2, 0x28, 0xA1), 0, 3)).as("bad continuation").isFalse();
        assertThat(BinaryTupleReader.isText(bytes(0x61, 0xC3, 0xA9), 0, 2)).as("within the given length").isFalse();
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static long micros(LocalDateTime time) {
        return time.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + time.getNano() / 1_000;
    }

    private static byte[] jsonb(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[bytes.length + 1];
        value[0] = 1;
        System.arraycopy(bytes, 0, value, 1, bytes.length);
        return value;
    }

    /** {@code numeric_send}'s form of a special value: no digits, the sign word saying which. */
    private static byte[] special(int sign) {
        return ByteBuffer.allocate(8).putShort((short) 0).putShort((short) 0).putShort((short) sign).putShort((short) 0).array();
    }

    /** {@code numeric_send}'s form: base-10000 digits aligned on the decimal point, zero digits at either end left out. */
    static byte[] numeric(BigDecimal value) {
        BigDecimal magnitude = value.abs();
        int scale = Math.max(magnitude.scale(), 0);
        String plain = magnitude.setScale(scale, RoundingMode.UNNECESSARY).toPlainString();
        int point = plain.indexOf('.');
        String whole = point < 0 ? plain : plain.substring(0, point);
        String fraction = point < 0 ? "" : plain.substring(point + 1);
        whole = "0".repeat((4 - whole.length() % 4) % 4) + whole;
        fraction = fraction + "0".repeat((4 - fraction.length() % 4) % 4);
        String all = whole + fraction;
        List<Integer> digits = new ArrayList<>();
        for (int i = 0; i < all.length(); i += 4) {
            digits.add(Integer.parseInt(all.substring(i, i + 4)));
        }
        int weight = whole.length() / 4 - 1;
        while (!digits.isEmpty() && digits.get(0) == 0) {
            digits.remove(0);
            weight--;
        }
        while (!digits.isEmpty() && digits.get(digits.size() - 1) == 0) {
            digits.remove(digits.size() - 1);
        }
        if (digits.isEmpty()) {
            weight = 0;
        }
        ByteBuffer buffer = ByteBuffer.allocate(8 + 2 * digits.size());
        buffer.putShort((short) digits.size()).putShort((short) weight).putShort((short) (value.signum() < 0 ? 0x4000 : 0))
                .putShort((short) scale);
        digits.forEach(digit -> buffer.putShort(digit.shortValue()));
        return buffer.array();
    }

    /** A binary COPY tuple: the field count, then each field's length and bytes. */
    static final class Tuple {
        private final List<byte[]> fields = new ArrayList<>();

        Tuple field(byte[] value) {
            fields.add(value);
            return this;
        }

        Tuple nul() {
            fields.add(null);
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(fields.size() >>> 8);
            out.write(fields.size());
            for (byte[] field : fields) {
                int length = field == null ? -1 : field.length;
                out.writeBytes(ByteBuffer.allocate(4).putInt(length).array());
                if (field != null) {
                    out.writeBytes(field);
                }
            }
            return out.toByteArray();
        }
    }
}
