package io.cellpipe.cli;

import static io.cellpipe.cli.CapturedCells.catchUp;
import static io.cellpipe.cli.PipelineHarness.assertMatches;
import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Blob;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One column per PostgreSQL type the warehouse maps, filled with edge values, through the snapshot
 * and through the stream (inserts, updates to and from NULL, an unchanged TOAST value, a key change
 * and deletes). The warehouse must match the cell by verification and, read directly, hold the
 * exact values: a bug that corrupts the warehouse and verification's reading of it alike still shows.
 */
class TypeRoundTripIT {
    private static final String CELL = "cell-1";
    private static final String TABLE = "\"public\".\"all_types\"";
    /** Rows 1-5 exist before the pipeline starts; rows 6-10 (the same kinds) are inserted while streaming. */
    private static final int STREAMED = 5;
    private static final int BIG_CHUNKS = 400;

    private static final String COLUMNS = "id, b, i16, i32, i64, f32, f64, dec12, dec38, num, txt, vc, ch, mood, pos, d, ts, tstz, t, ttz,"
            + " iv, u, j, jb, by, ints, texts, ip, net, mac, cash, uni, big";
    private static final String NON_KEY_COLUMNS = COLUMNS.substring("id, ".length());

    private static final String SCHEMA = """
            CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy', 'very ''happy''');
            CREATE DOMAIN public.positive_int AS integer CHECK (VALUE > 0);
            CREATE TABLE public.all_types (
                id bigint PRIMARY KEY,
                b boolean, i16 smallint, i32 integer, i64 bigint, f32 real, f64 double precision,
                dec12 numeric(12,2), dec38 numeric(38,10), num numeric,
                txt text, vc varchar(20), ch char(3), mood public.mood, pos public.positive_int,
                d date, ts timestamp, tstz timestamptz, t time, ttz timetz, iv interval,
                u uuid, j json, jb jsonb, by bytea, ints integer[], texts text[],
                ip inet, net cidr, mac macaddr, cash money, uni text, big text);
            -- out of line and uncompressed: every big value is TOASTed, whatever its content
            ALTER TABLE public.all_types ALTER COLUMN big SET STORAGE EXTERNAL;
            """;

    /** Ordinary values of the columns id to jb of all_types (as in {@code insert}'s column order) for the row numbered {@code i}. */
    private static final String ORDINARY_VALUES = "i, i % 2 = 0, (i % 32767)::smallint, i::integer, i::bigint * 1000003, (i / 7.0)::real,"
            + " i / 3.0::float8, (i % 1000000) / 100.0, i / 7.0, i / 9.0, 'text ' || i, 'vc' || i, 'c', 'ok', i % 100 + 1,"
            + " date '2000-01-01' + i::integer, timestamp '2000-01-01' + i * interval '1.001 second',"
            + " timestamptz '1960-01-01 00:00:00+00' + i * interval '1 day 1.000001 second', md5(i::text)::uuid,"
            + " json_build_object('i', i), jsonb_build_object('i', i, 'a', jsonb_build_array(i, 'x'))";

    private static final String UNICODE = "\uD83D\uDE00 emoji, \u6F22\u5B57 CJK, \u00F1, zero\u200Bwidth, e\u0301, \u05E9\u05DC\u05D5\u05DD";
    private static final String ESCAPES = "tab\there\nnewline\\backslash 'single' \"double\"\r";
    private static final String DEC38 = "1234567890123456789012345678.0123456789";
    private static final String MANY_DIGITS = "123456789012345678901234567890123456789012345678901234567890.123456789012345678901234567890";

    @Test
    void everyTypeAndEdgeValueLandsExactly(@TempDir Path dir) throws Exception {
        Path warehouse = dir.resolve("w.duckdb");
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            cell.execute(SCHEMA);
            CapturedCells.createMarkerTable(cell);
            cell.execute(insert(1));
            Map<String, String> cells = CapturedCells.cells(CELL, cell.jdbcUrl());
            PipelineConfig config = CapturedCells.config(warehouse, cells);
            try (Destination destination = Assembly.destination(config.destination())) {
                try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                    pipeline.start(Assembly.sources(config));
                    awaitStreaming(pipeline, CELL, Duration.ofSeconds(30));
                    cell.execute(insert(1 + STREAMED));
                    // applied before the updates below, so these find their rows in the warehouse, not in the same batch
                    catchUp(pipeline, cells, Duration.ofSeconds(30));
                    changeWhileStreaming(cell);
                    catchUp(pipeline, cells, Duration.ofSeconds(30));
                }
                assertMatches(destination, config);
            }
            assertWarehouseValues(new WarehouseFile(warehouse));
        }
    }

    /**
     * A table of the types whose values the capture process reads itself and appends straight into
     * the warehouse table: ordinary values first (in heap order, so the snapshot reads them first),
     * then the edge rows, from whose first value only DuckDB's cast reads (e.g. -infinity) the rows
     * are staged and cast. Both must match the cell. The edge rows refuse binary tuples, so this is
     * the path of text: CSV, and rows read in Java where DuckDB's CSV load refuses.
     */
    @Test
    void commonTypesAppendedStraightIntoTheirTableMatchTheCell(@TempDir Path dir) throws Exception {
        Path warehouse = dir.resolve("w.duckdb");
        String common = "id, b, i16, i32, i64, f32, f64, dec12, dec38, num, txt, vc, ch, mood, pos, d, ts, tstz, u, j, jb, uni";
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            cell.execute(SCHEMA);
            CapturedCells.createMarkerTable(cell);
            cell.execute(insert(1));
            cell.execute("CREATE TABLE public.common_types AS SELECT " + common + " FROM public.all_types WHERE false",
                    "ALTER TABLE public.common_types ADD PRIMARY KEY (id)",
                    "INSERT INTO public.common_types SELECT " + ORDINARY_VALUES + ", 'ü ' || i FROM generate_series(1, 3000) i",
                    "INSERT INTO public.common_types SELECT id + 100000, " + common.substring("id, ".length()) + " FROM public.all_types",
                    // without dates before year 1, which send a chunk's CSV back to Java: DuckDB's CSV reader loads this one
                    "CREATE TABLE public.common_csv AS SELECT * FROM public.common_types"
                            + " WHERE coalesce(d::text, '') || coalesce(ts::text, '') || coalesce(tstz::text, '') NOT LIKE '% BC%'",
                    "ALTER TABLE public.common_csv ADD PRIMARY KEY (id)");
            List<String> messages = snapshotMatchingTheCell(cell, warehouse);
            // infinite dates sent both tables from binary tuples to CSV; DuckDB's CSV reader loaded common_csv as PostgreSQL
            // wrote it, and common_types' BC dates sent it on to Java
            assertThat(messages).anyMatch(message -> message.contains("public.common_csv") && message.contains("copied again as text"))
                    .anyMatch(message -> message.contains("public.common_types") && message.contains("copied again as text"));
            List<String> refused = messages.stream().filter(message -> message.contains("did not load a chunk of")).toList();
            assertThat(refused).anyMatch(message -> message.contains("public.common_types"))
                    .noneMatch(message -> message.contains("public.common_csv"));
            WarehouseFile file = new WarehouseFile(warehouse);
            assertThat(file.row("SELECT count(*) AS n FROM public.common_types WHERE _cell_id = 'cell-1'").get("n")).isEqualTo(3005L);
            assertThat(file.row("SELECT count(*) AS n FROM public.common_csv WHERE _cell_id = 'cell-1'").get("n")).isEqualTo(3003L);
            assertThat(file.row("SELECT txt, uni, vc IS NULL AS vc_null, vc FROM public.common_csv WHERE id = 100003"))
                    .containsEntry("txt", ESCAPES).containsEntry("uni", UNICODE).containsEntry("vc_null", false);
            assertThat(file.row("SELECT txt, vc FROM public.common_csv WHERE id = 100002")).containsEntry("txt", "").containsEntry("vc", "");
            Map<String, Object> ordinary = file.row("SELECT CAST(ts AS VARCHAR) AS ts, CAST(tstz AS VARCHAR) AS tstz, CAST(dec38 AS VARCHAR)"
                    + " AS dec38, CAST(jb AS VARCHAR) AS jb, ch FROM public.common_types WHERE id = 2999");
            assertThat(ordinary).containsEntry("ts", "2000-01-01 00:50:01.999")
                    .containsEntry("tstz", "1968-03-18 00:49:59.002999+00")
                    .containsEntry("dec38", "428.4285714286")
                    .containsEntry("jb", "{\"a\": [2999, \"x\"], \"i\": 2999}")
                    .containsEntry("ch", "c  ");
        }
    }

    /**
     * Every type the snapshot copies in PostgreSQL's binary form, or as text inside it (enums,
     * domains, arrays, network types, money, TOASTed text), with the edge values binary reads: each
     * chunk is loaded from binary tuples, none falls back, and the warehouse matches the cell.
     * Values binary does not read (an infinite date) send only their own table to text.
     */
    @Test
    void binaryTuplesLoadEveryTypeTheyCarryExactly(@TempDir Path dir) throws Exception {
        Path warehouse = dir.resolve("w.duckdb");
        String columns = "id, b, i16, i32, i64, f32, f64, dec12, dec38, num, txt, vc, ch, mood, pos, d, ts, tstz, u, j, jb, by, ints, texts,"
                + " ip, net, mac, cash, uni, big";
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            cell.execute(SCHEMA);
            CapturedCells.createMarkerTable(cell);
            cell.execute(insert(1));
            cell.execute("CREATE TABLE public.binary_types AS SELECT " + columns + " FROM public.all_types WHERE false",
                    "ALTER TABLE public.binary_types ADD PRIMARY KEY (id)",
                    "INSERT INTO public.binary_types SELECT " + ORDINARY_VALUES + ", int4send(i), ARRAY[i, -i], ARRAY['a' || i, NULL],"
                            + " ('10.0.' || i % 256 || '.1')::inet, '10.0.0.0/8', '08:00:2b:01:02:03',"
                            + " i * 1.25, 'ü ' || i, NULL FROM generate_series(1, 3000) i",
                    // the edge rows of all_types, without the dates binary leaves to text: infinite, or before year 1
                    "INSERT INTO public.binary_types SELECT id + 100000, " + columns.substring("id, ".length())
                            .replace(" d,", " CASE WHEN isfinite(d) AND extract(year FROM d) >= 1 THEN d END,")
                            .replace(" ts,", " CASE WHEN isfinite(ts) AND extract(year FROM ts) >= 1 THEN ts END,")
                            .replace(" tstz,", " CASE WHEN isfinite(tstz) AND extract(year FROM tstz) >= 1 THEN tstz END,")
                            + " FROM public.all_types",
                    // the internal "char" sends its bytes: letters are their text, the empty one (a NUL) and others are not
                    "ALTER TABLE public.binary_types ADD COLUMN flag \"char\"",
                    "UPDATE public.binary_types SET flag = chr(65 + (id % 26)::integer)::\"char\"",
                    // arrays of varchar and char are named like them, and must still travel as their text
                    "ALTER TABLE public.binary_types ADD COLUMN vcs varchar(10)[], ADD COLUMN chs char(2)[]",
                    "UPDATE public.binary_types SET vcs = ARRAY['v' || id, NULL, 'x,y'], chs = ARRAY['c', NULL]",
                    "CREATE TABLE public.char_flags (id integer PRIMARY KEY, flag \"char\")",
                    "INSERT INTO public.char_flags VALUES (1, 'a'), (2, ''), (3, NULL)",
                    "CREATE TABLE public.high_chars (id integer PRIMARY KEY, flag \"char\")",
                    "INSERT INTO public.high_chars VALUES (1, 'a'), (2, E'\\\\351')",
                    "CREATE TABLE public.infinite_dates (id integer PRIMARY KEY, d date)",
                    "INSERT INTO public.infinite_dates SELECT i, date '2000-01-01' + i FROM generate_series(1, 100) i",
                    "INSERT INTO public.infinite_dates VALUES (101, 'infinity'), (102, '-infinity')");
            List<String> messages = snapshotMatchingTheCell(cell, warehouse);
            assertThat(messages).anyMatch(message -> message.contains("public.binary_types") && message.contains("as binary tuples"))
                    .noneMatch(message -> message.contains("public.binary_types") && message.contains("copied again as text"))
                    .anyMatch(message -> message.contains("public.infinite_dates") && message.contains("copied again as text"))
                    .anyMatch(message -> message.contains("public.char_flags") && message.contains("copied again as text"))
                    .anyMatch(message -> message.contains("public.high_chars") && message.contains("copied again as text"))
                    .noneMatch(message -> message.contains("did not load a chunk of"));
            WarehouseFile file = new WarehouseFile(warehouse);
            assertThat(file.row("SELECT count(*) AS n FROM public.binary_types WHERE _cell_id = 'cell-1'").get("n")).isEqualTo(3005L);
            assertThat(file.row("SELECT count(*) AS n FROM public.infinite_dates WHERE d = 'infinity'::DATE").get("n")).isEqualTo(1L);
            assertThat(file.rows("SELECT flag FROM public.char_flags ORDER BY id")).extracting(row -> row.get("flag"))
                    .containsExactly("a", "", null);
            assertThat(file.row("SELECT flag FROM public.high_chars WHERE id = 2")).containsEntry("flag", "\\351");
            assertThat(file.row("SELECT flag, vcs, chs FROM public.binary_types WHERE id = 27")).containsEntry("flag", "B")
                    .containsEntry("vcs", "{v27,NULL,\"x,y\"}").containsEntry("chs", "{\"c \",NULL}");
            Map<String, Object> maximums = file.row("SELECT txt, uni, ch, mood, ip, ints, CAST(j AS VARCHAR) AS j, CAST(dec38 AS VARCHAR) AS dec38,"
                    + " f32, i64, big FROM public.binary_types WHERE id = 100003");
            assertThat(maximums).containsEntry("txt", ESCAPES).containsEntry("uni", UNICODE).containsEntry("ch", "abc")
                    .containsEntry("mood", "very 'happy'").containsEntry("ip", "2001:db8::1/64").containsEntry("ints", "{1,NULL,-2147483648}")
                    .containsEntry("j", "{\"b\": 1,  \"a\": [1, 2.50, null], \"a\": \"duplicate\"}")
                    .containsEntry("dec38", "9999999999999999999999999999.9999999999").containsEntry("f32", Float.POSITIVE_INFINITY)
                    .containsEntry("i64", Long.MAX_VALUE);
            assertThat((String) maximums.get("big")).isEqualTo(bigValue(3));
            Map<String, Object> precise = file.row("SELECT ch, vc, CAST(ts AS VARCHAR) AS ts, CAST(tstz AS VARCHAR) AS tstz, \"by\", num, d"
                    + " FROM public.binary_types WHERE id = 100004");
            assertThat(precise).containsEntry("ch", "x  ").containsEntry("vc", " padded ").containsEntry("num", MANY_DIGITS)
                    .containsEntry("ts", "2024-02-29 23:59:59.123456").containsEntry("tstz", "2024-02-29 18:29:59.123456+00")
                    .containsEntry("d", null);
            assertThat(bytes(precise.get("by"))).isEqualTo(HexFormat.of().parseHex("000102fffe00"));
            Map<String, Object> ordinary = file.row("SELECT CAST(ts AS VARCHAR) AS ts, CAST(tstz AS VARCHAR) AS tstz, CAST(dec38 AS VARCHAR)"
                    + " AS dec38, CAST(jb AS VARCHAR) AS jb, ch, \"by\" FROM public.binary_types WHERE id = 2999");
            assertThat(ordinary).containsEntry("ts", "2000-01-01 00:50:01.999")
                    .containsEntry("tstz", "1968-03-18 00:49:59.002999+00")
                    .containsEntry("dec38", "428.4285714286")
                    .containsEntry("jb", "{\"a\": [2999, \"x\"], \"i\": 2999}")
                    .containsEntry("ch", "c  ");
            assertThat(bytes(ordinary.get("by"))).isEqualTo(HexFormat.of().parseHex("00000bb7"));
        }
    }

    /** Snapshots the cell into {@code warehouse}, checks that the warehouse matches it, and returns what was logged meanwhile. */
    private static List<String> snapshotMatchingTheCell(EmbeddedCell cell, Path warehouse) throws Exception {
        Map<String, String> cells = CapturedCells.cells(CELL, cell.jdbcUrl());
        PipelineConfig config = CapturedCells.config(warehouse, cells);
        ListAppender<ILoggingEvent> log = PrivacyIT.captureLog();
        try (Destination destination = Assembly.destination(config.destination())) {
            try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                awaitStreaming(pipeline, CELL, Duration.ofSeconds(30));
            }
            assertMatches(destination, config);
        } finally {
            PrivacyIT.detach(log);
        }
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Inserts the five kinds of row, with ids from {@code first}, in one transaction. */
    private static String insert(int first) {
        return "INSERT INTO public.all_types (" + COLUMNS + ") VALUES "
                + nulls(first) + ",\n" + minimums(first + 1) + ",\n" + maximums(first + 2) + ",\n" + precise(first + 3) + ",\n"
                + mixed(first + 4);
    }

    private static String nulls(int id) {
        return "(" + id + ", NULL" + ", NULL".repeat(31) + ")";
    }

    private static String minimums(int id) {
        return "(" + id + """
                , false, -32768, -2147483648, -9223372036854775808, '-Infinity', '-Infinity', -9999999999.99,
                 -9999999999999999999999999999.9999999999, '-Infinity', '', '', '', 'sad', 1,
                 '-infinity', '-infinity', '-infinity', '00:00:00', '00:00:00-15:59', '-178000000 years',
                 '00000000-0000-0000-0000-000000000000', '[]', '{}', '\\x', '{}', '{}',
                 '0.0.0.0', '0.0.0.0/0', '00:00:00:00:00:00', '-92233720368547758.08', '', NULL)""";
    }

    private static String maximums(int id) {
        return "(" + id + """
                , true, 32767, 2147483647, 9223372036854775807, 'Infinity', 'Infinity', 9999999999.99,
                 9999999999999999999999999999.9999999999, 'Infinity', %s, 'exactly twenty chars', 'abc', 'very ''happy''', 2147483647,
                 'infinity', 'infinity', 'infinity', '24:00:00', '23:59:59.999999+15:59', '178000000 years',
                 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '{"b": 1,  "a": [1, 2.50, null], "a": "duplicate"}',
                 '{"b": 1, "a": [1, 2.50, null, "\u00e9"]}', '\\x00ff00', '{1,NULL,-2147483648}',
                 ARRAY['a,b', 'say "hi"', NULL, 'back\\slash', '', 'NULL', '{braces}'],
                 '2001:db8::1/64', '2001:db8::/32', '08:00:2b:01:02:03', '92233720368547758.07', %s, %s)"""
                .formatted(escapeString(ESCAPES), literal(UNICODE), big(id));
    }

    private static String precise(int id) {
        return "(" + id + """
                , true, 0, 0, 0, 'NaN', 'NaN', 0.01,
                 %s, %s, 'NULL', ' padded ', 'x', 'ok', 42,
                 '0044-03-15 BC', '2024-02-29 23:59:59.123456', '2024-02-29 23:59:59.123456+05:30', '12:34:56.789012',
                 '10:00:00.5-03:30', '-1 year 2 mons -3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'null',
                 '[{"k": "v"}, 1e3]', '\\x000102fffe00', '{{1,2},{3,4}}', '{"",""}', '192.168.0.1', '192.168.0.0/24',
                 'ff:ff:ff:ff:ff:ff', '0.01', E'line1\\nline2', %s)""".formatted(DEC38, MANY_DIGITS, big(id));
    }

    private static String mixed(int id) {
        return "(" + id + """
                , false, -1, 1, -1, '1.4e-45', '-0', -0.01,
                 -0.0000000001, 'NaN', E'\\\\', '\u00fcmlaut', '', 'happy', 7,
                 '2000-02-29', '0044-03-15 10:00:00 BC', '1970-01-01 00:00:00.000001+00', '00:00:00.000001', '00:00:00+00',
                 '1 day -00:00:00.000001', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '"just a string"',
                 '{"nested": {"deep": [true, false, null]}}', '\\x00', '{NULL}', '{NULL,"null"}', '::1', '::/0',
                 '01:23:45:67:89:ab', '0', '', NULL)""";
    }

    private static void changeWhileStreaming(EmbeddedCell cell) {
        cell.execute(
                // only small columns change: the TOASTed big value is not sent (pgoutput marks it unchanged)
                "UPDATE public.all_types SET i16 = 7 WHERE id = 4",
                "UPDATE public.all_types SET i16 = 8 WHERE id = 9",
                // inserted and updated in one transaction, so in one batch
                "BEGIN; " + "INSERT INTO public.all_types (" + COLUMNS + ") VALUES " + precise(11) + "; "
                        + "UPDATE public.all_types SET txt = 'changed in the same transaction' WHERE id = 11; COMMIT",
                // the snapshot's minimums become the maximums, through the stream
                "UPDATE public.all_types SET (" + NON_KEY_COLUMNS + ") = (SELECT " + NON_KEY_COLUMNS
                        + " FROM public.all_types WHERE id = 8) WHERE id = 2",
                "UPDATE public.all_types SET (" + NON_KEY_COLUMNS + ") = (SELECT " + NON_KEY_COLUMNS
                        + " FROM public.all_types WHERE id = 1) WHERE id = 8",
                // a key change with the TOASTed value unchanged: it must move to the new key
                "UPDATE public.all_types SET id = 1000 WHERE id = 3",
                "DELETE FROM public.all_types WHERE id IN (1, 10)");
    }

    private static void assertWarehouseValues(WarehouseFile warehouse) throws Exception {
        assertThat(warehouse.count("SELECT count(*) FROM " + TABLE + " WHERE _cell_id = '" + CELL + "'"))
                .as("one row per key: 1-11 and 1000 (3 moved there)").isEqualTo(12);
        assertThat(warehouse.rows("SELECT id FROM " + TABLE + " WHERE _deleted ORDER BY id"))
                .extracting(row -> ((Number) row.get("id")).longValue()).containsExactly(1L, 3L, 10L);

        Map<String, Object> precise = row(warehouse, 4);
        assertThat((BigDecimal) precise.get("dec38")).isEqualTo(new BigDecimal(DEC38));
        assertThat((BigDecimal) precise.get("dec12")).isEqualTo(new BigDecimal("0.01"));
        assertThat(precise.get("num")).isEqualTo(MANY_DIGITS);
        assertThat(instant(precise.get("tstz"))).isEqualTo(Instant.parse("2024-02-29T18:29:59.123456Z"));
        assertThat(localDateTime(precise.get("ts"))).isEqualTo(LocalDateTime.parse("2024-02-29T23:59:59.123456"));
        assertThat((Double) precise.get("f64")).isNaN();
        assertThat((Float) precise.get("f32")).isNaN();
        assertThat(precise.get("i16")).isEqualTo((short) 7);
        assertThat(bytes(precise.get("by"))).isEqualTo(HexFormat.of().parseHex("000102fffe00"));
        assertThat((String) precise.get("big")).as("the unchanged TOAST value is kept").hasSize(32 * BIG_CHUNKS).isEqualTo(bigValue(4));
        assertThat(precise.get("ch")).isEqualTo("x  ");
        assertThat(precise.get("vc")).isEqualTo(" padded ");
        assertThat(precise.get("texts")).isEqualTo("{\"\",\"\"}");
        assertThat(precise.get("ints")).isEqualTo("{{1,2},{3,4}}");
        assertThat(precise.get("u").toString()).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        Map<String, Object> interval = warehouse.row("SELECT datepart('year', iv) * 12 + datepart('month', iv) AS months,"
                + " datepart('day', iv) AS days, datepart('hour', iv) AS hours, datepart('minute', iv) AS minutes,"
                + " datepart('microseconds', iv) AS micros FROM " + TABLE + " WHERE id = 4");
        assertThat(interval).containsEntry("months", -10L).containsEntry("days", -3L).containsEntry("hours", 4L)
                .containsEntry("minutes", 5L).containsEntry("micros", 6_789_000L);
        // A BC date is kept: DuckDB counts 1 BC as year 0, so 44 BC is year -43.
        assertThat(warehouse.row("SELECT year(d) AS year, month(d) AS month, day(d) AS day FROM " + TABLE + " WHERE id = 4"))
                .containsEntry("year", -43L).containsEntry("month", 3L).containsEntry("day", 15L);

        Map<String, Object> streamedPrecise = row(warehouse, 9);
        assertThat((BigDecimal) streamedPrecise.get("dec38")).isEqualTo(new BigDecimal(DEC38));
        assertThat(streamedPrecise.get("i16")).isEqualTo((short) 8);
        assertThat((String) streamedPrecise.get("big")).isEqualTo(bigValue(9));
        Map<String, Object> sameTransaction = row(warehouse, 11);
        assertThat(sameTransaction.get("txt")).isEqualTo("changed in the same transaction");
        assertThat((String) sameTransaction.get("big")).isEqualTo(bigValue(11));

        Map<String, Object> moved = row(warehouse, 1000);
        assertThat((String) moved.get("big")).as("the TOAST value moved with its row to the new key").isEqualTo(bigValue(3));
        assertThat(moved.get("uni")).isEqualTo(UNICODE);
        assertThat(moved.get("txt")).isEqualTo(ESCAPES);
        assertThat(moved.get("i64")).isEqualTo(Long.MAX_VALUE);
        assertThat(moved.get("t")).isEqualTo("24:00:00");
        assertThat(moved.get("cash")).isEqualTo("$92,233,720,368,547,758.07");
        assertThat(bytes(moved.get("by"))).containsExactly(0x00, 0xff, 0x00);
        assertThat(warehouse.row("SELECT CAST(d AS VARCHAR) AS d, CAST(ts AS VARCHAR) AS ts, CAST(tstz AS VARCHAR) AS tstz,"
                + " CAST(f64 AS VARCHAR) AS f64 FROM " + TABLE + " WHERE id = 1000"))
                .containsEntry("d", "infinity").containsEntry("ts", "infinity").containsEntry("tstz", "infinity")
                .containsEntry("f64", "inf");

        Map<String, Object> maximumsByUpdate = row(warehouse, 2);
        assertThat((BigDecimal) maximumsByUpdate.get("dec38")).isEqualTo(new BigDecimal("9999999999999999999999999999.9999999999"));
        assertThat(maximumsByUpdate.get("num")).isEqualTo("Infinity");
        assertThat(maximumsByUpdate.get("i32")).isEqualTo(Integer.MAX_VALUE);
        assertThat((String) maximumsByUpdate.get("big")).isEqualTo(bigValue(8));

        Map<String, Object> minimums = row(warehouse, 7);
        assertThat(minimums.get("txt")).as("empty string, not NULL").isEqualTo("");
        assertThat(bytes(minimums.get("by"))).as("empty bytea, not NULL").isEmpty();
        assertThat(minimums.get("i64")).isEqualTo(Long.MIN_VALUE);
        assertThat(minimums.get("num")).isEqualTo("-Infinity");
        Map<String, Object> nullsByUpdate = row(warehouse, 8);
        assertThat(nullsByUpdate).as("every column set to NULL by an update").allSatisfy((column, value) -> {
            if (!column.equals("id") && !column.startsWith("_")) {
                assertThat(value).as(column).isNull();
            }
        });
        assertThat(row(warehouse, 5).get("num")).isEqualTo("NaN");
        assertThat(instant(row(warehouse, 5).get("tstz"))).isEqualTo(Instant.parse("1970-01-01T00:00:00.000001Z"));
        assertThat(row(warehouse, 6).get("txt")).isNull();
    }

    private static Map<String, Object> row(WarehouseFile warehouse, long id) {
        // as text: the DuckDB JDBC driver cannot make a LocalTime of 24:00:00, which PostgreSQL and DuckDB allow
        return warehouse.row("SELECT * REPLACE (CAST(t AS VARCHAR) AS t, CAST(ttz AS VARCHAR) AS ttz, CAST(iv AS VARCHAR) AS iv)"
                + " FROM " + TABLE + " WHERE _cell_id = '" + CELL + "' AND id = " + id);
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case OffsetDateTime offset -> offset.toInstant();
            case java.sql.Timestamp timestamp -> timestamp.toInstant();
            default -> throw new AssertionError("not a timestamp with time zone: " + value.getClass() + " " + value);
        };
    }

    private static LocalDateTime localDateTime(Object value) {
        return switch (value) {
            case LocalDateTime local -> local;
            case java.sql.Timestamp timestamp -> timestamp.toLocalDateTime();
            default -> throw new AssertionError("not a timestamp: " + value.getClass() + " " + value);
        };
    }

    private static byte[] bytes(Object value) throws SQLException {
        return switch (value) {
            case byte[] array -> array;
            case Blob blob -> blob.getBytes(1, (int) blob.length());
            default -> throw new AssertionError("not a BLOB: " + value.getClass() + " " + value);
        };
    }

    /** SQL for a row's large text: 400 md5 hashes, 12,800 characters. */
    private static String big(int id) {
        return "(SELECT string_agg(md5((g + " + id + ")::text), '' ORDER BY g) FROM generate_series(1, " + BIG_CHUNKS + ") g)";
    }

    private static String bigValue(int id) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        StringBuilder value = new StringBuilder();
        for (int g = 1; g <= BIG_CHUNKS; g++) {
            value.append(HexFormat.of().formatHex(md5.digest(String.valueOf(g + id).getBytes(StandardCharsets.US_ASCII))));
        }
        return value.toString();
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** An E'' literal, so that control characters survive the SQL text. */
    private static String escapeString(String text) {
        return "E'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r") + "'";
    }
}
