package io.cellpipe.duckdb;

import static io.cellpipe.duckdb.DirectSnapshotAppendTest.CAST_BY_DUCKDB;
import static io.cellpipe.duckdb.DirectSnapshotAppendTest.DIRECT_KINDS;
import static io.cellpipe.duckdb.DirectSnapshotAppendTest.READABLE;
import static io.cellpipe.duckdb.Fixtures.column;
import static io.cellpipe.duckdb.Fixtures.key;
import static io.cellpipe.duckdb.Fixtures.table;
import static io.cellpipe.duckdb.Fixtures.transaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.spi.SnapshotLoad;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshot rows given as PostgreSQL's CSV and loaded by DuckDB's CSV reader must hold exactly
 * what the staged path gives for the same values; a load DuckDB refuses (a date before year 1,
 * which its cast would read as AD) is read in Java instead, and the temporary file never outlives
 * its load.
 */
class CsvSnapshotInsertTest {
    /** Text PostgreSQL's CSV must quote: separators, quotes, line breaks, nothing at all. */
    static final List<String[]> AWKWARD_TEXT = List.of(
            new String[] {"11", null, null, null, null, null, null, null, "a,b", null, null, null, null, null, null, null},
            new String[] {"12", null, null, null, null, null, null, null, "\"", null, null, null, null, null, null, null},
            new String[] {"13", null, null, null, null, null, null, null, "line1\r\nline2\rline3\n", null, null, null, null, "{\"a\": \"x,\\\"y\\\"\"}",
                null, null},
            new String[] {"14", null, null, null, null, null, null, null, "\\N", null, null, null, null, null, null, null},
            new String[] {"15", null, null, null, null, null, null, null, "\\.", null, null, null, null, null, null, null},
            new String[] {"16", null, null, null, null, null, null, null, " ", null, null, null, null, null, null, null},
            new String[] {"17", null, null, null, null, null, null, null, "NULL", null, null, null, null, null, null, null});

    static final TableSchema WITH_INTERVAL = table("public.spans", key("id", ColumnKind.INT64), column("span", ColumnKind.INTERVAL));

    @TempDir
    Path directory;

    @Test
    void csvRowsHoldWhatTheStagedPathGives() {
        Path file = directory.resolve("warehouse.duckdb");
        List<String[]> loadedByDuckDb = new ArrayList<>(READABLE);
        loadedByDuckDb.addAll(AWKWARD_TEXT);
        // infinity and a year past 9999: DuckDB's cast reads both
        loadedByDuckDb.add(CAST_BY_DUCKDB.get(0));
        loadedByDuckDb.add(CAST_BY_DUCKDB.get(2));
        List<String[]> beforeYearOne = List.<String[]>of(CAST_BY_DUCKDB.get(1));
        try (DuckDbDestination destination = new DuckDbDestination(DuckDbOptions.of(file))) {
            destination.beginSnapshot("direct", List.of(DIRECT_KINDS));
            try (ChunkLoad load = (ChunkLoad) destination.openSnapshotLoad("direct", DIRECT_KINDS)) {
                write(load, loadedByDuckDb);
                load.commit();
                assertThat(load.readCsvInJava()).as("DuckDB loaded every row").isFalse();
            }
            try (ChunkLoad load = (ChunkLoad) destination.openSnapshotLoad("direct", DIRECT_KINDS)) {
                write(load, beforeYearOne);
                load.commit();
                assertThat(load.readCsvInJava()).as("a date before year 1 is read in Java").isTrue();
            }
            List<Change> inserts = new ArrayList<>();
            Stream.concat(loadedByDuckDb.stream(), beforeYearOne.stream())
                    .forEach(row -> inserts.add(Change.insert(DIRECT_KINDS, RowImage.of(row.clone()))));
            destination.apply(List.of(transaction("staged", 10, inserts.toArray(Change[]::new))));
        }
        assertThat(WarehouseFile.query(file, "SELECT CAST(d AS VARCHAR), CAST(ts AS VARCHAR) FROM types.direct_kinds"
                + " WHERE _cell_id = 'direct' AND id = 7")).containsExactly(List.of("0044-03-15 (BC)", "0044-03-15 (BC) 10:00:00"));
        assertThat(WarehouseFile.query(file, "SELECT txt IS NULL, txt FROM types.direct_kinds WHERE _cell_id = 'direct' AND id IN (2, 4)"
                + " ORDER BY id")).containsExactly(List.of("false", ""), Arrays.asList("true", null));
        DirectSnapshotAppendTest.assertSameRows(file, loadedByDuckDb.size() + beforeYearOne.size());
        assertThat(temporaryFiles()).isEmpty();
    }

    @Test
    void onlyLoadsOfShapesDuckDbReadsTakeCsv() {
        try (DuckDbDestination destination = new DuckDbDestination(DuckDbOptions.of(directory.resolve("warehouse.duckdb")))) {
            destination.beginSnapshot("cell-1", List.of(WITH_INTERVAL, DIRECT_KINDS));
            try (SnapshotLoad load = destination.openSnapshotLoad("cell-1", WITH_INTERVAL)) {
                assertThat(load.csv()).as("PostgreSQL's interval text is rewritten before DuckDB reads it").isEmpty();
            }
            try (SnapshotLoad load = destination.openSnapshotLoad("cell-1", DIRECT_KINDS)) {
                load.add(List.of(RowImage.of(READABLE.get(0).clone())));
                assertThat(load.csv()).as("rows were added the other way").isEmpty();
            }
            try (SnapshotLoad load = destination.openSnapshotLoad("cell-1", DIRECT_KINDS)) {
                assertThat(load.csv()).isPresent();
                assertThatThrownBy(() -> load.add(List.of(RowImage.of(READABLE.get(0).clone())))).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    @Test
    void aLoadClosedWithoutCommitLeavesNeitherRowsNorFile() throws IOException {
        Path file = directory.resolve("warehouse.duckdb");
        try (DuckDbDestination destination = new DuckDbDestination(DuckDbOptions.of(file))) {
            destination.beginSnapshot("cell-1", List.of(DIRECT_KINDS));
            try (SnapshotLoad load = destination.openSnapshotLoad("cell-1", DIRECT_KINDS)) {
                write(load, READABLE);
                assertThat(temporaryFiles()).hasSize(1);
            }
            assertThat(temporaryFiles()).isEmpty();
        }
        assertThat(WarehouseFile.query(file, "SELECT count(*) FROM types.direct_kinds")).containsExactly(List.of("0"));
    }

    /** Files a killed process left are removed when the warehouse opens; a live process's, and another warehouse's, are not. */
    @Test
    void filesOfAnEndedProcessAreRemovedAtOpen() throws IOException {
        Path file = directory.resolve("warehouse.duckdb");
        Path files = Files.createDirectories(SnapshotFiles.directory(file));
        // above any process id Linux hands out
        Path ended = Files.writeString(files.resolve("999999999-123.csv"), "1,x\n");
        Path live = Files.writeString(files.resolve(ProcessHandle.current().pid() + "-456.csv"), "");
        Path other = Files.writeString(Files.createDirectories(SnapshotFiles.directory(directory.resolve("other.duckdb")))
                .resolve("999999999-789.csv"), "");
        // this process's id, from before it started: an earlier process given the same id (a container's process 1)
        Path reused = Files.writeString(files.resolve(ProcessHandle.current().pid() + "-1.csv"), "");
        Files.setLastModifiedTime(reused, java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2000-01-01T00:00:00Z")));
        new DuckDbDestination(DuckDbOptions.of(file)).close();
        assertThat(ended).doesNotExist();
        assertThat(reused).doesNotExist();
        assertThat(live).exists();
        assertThat(other).exists();
    }

    /** A file name that is a glob pattern neither stops the warehouse opening nor matches another warehouse's files. */
    @Test
    void warehouseNamesAreNotPatterns() throws IOException {
        Path other = Files.writeString(Files.createDirectories(SnapshotFiles.directory(directory.resolve("wa.duckdb")))
                .resolve("999999999-1.csv"), "");
        for (String name : new String[] {"data[1.duckdb", "w[ab].duckdb", "w*.duckdb", "it's.duckdb"}) {
            Path ended = Files.writeString(Files.createDirectories(SnapshotFiles.directory(directory.resolve(name))).resolve("999999999-2.csv"), "");
            new DuckDbDestination(DuckDbOptions.of(directory.resolve(name))).close();
            assertThat(ended).as(name).doesNotExist();
        }
        assertThat(other).exists();
    }

    /** DuckDB takes a U+FEFF at a file's start for a byte order mark; the header line keeps the first row's from being dropped. */
    @Test
    void aLeadingZeroWidthNoBreakSpaceIsKept() throws IOException {
        Path file = directory.resolve("warehouse.duckdb");
        TableSchema notes = table("public.notes", column("note", ColumnKind.TEXT), key("id", ColumnKind.INT64));
        try (DuckDbDestination destination = new DuckDbDestination(DuckDbOptions.of(file))) {
            destination.beginSnapshot("cell-1", List.of(notes));
            try (ChunkLoad load = (ChunkLoad) destination.openSnapshotLoad("cell-1", notes)) {
                load.csv().orElseThrow().write("\uFEFFfirst,1\n\uFEFFsecond,2\n".getBytes(StandardCharsets.UTF_8));
                load.commit();
                assertThat(load.readCsvInJava()).isFalse();
            }
        }
        assertThat(WarehouseFile.query(file, "SELECT id, hex(note) FROM public.notes ORDER BY id"))
                .containsExactly(List.of("1", "EFBBBF6669727374"), List.of("2", "EFBBBF7365636F6E64"));
    }

    /** A chunk of the benchmark's size, so DuckDB writes full row groups: every row arrives, in order. */
    @Test
    void aLargeLoadArrivesWhole() throws IOException {
        Path file = directory.resolve("warehouse.duckdb");
        TableSchema events = table("public.events", key("id", ColumnKind.INT64), column("note", ColumnKind.TEXT));
        try (DuckDbDestination destination = new DuckDbDestination(DuckDbOptions.of(file))) {
            destination.beginSnapshot("cell-1", List.of(events));
            try (SnapshotLoad load = destination.openSnapshotLoad("cell-1", events)) {
                OutputStream csv = load.csv().orElseThrow();
                for (int id = 1; id <= 300_000; id++) {
                    csv.write((id + ",\"note, " + id + "\"\n").getBytes(StandardCharsets.UTF_8));
                }
                load.commit();
            }
        }
        assertThat(WarehouseFile.query(file, "SELECT count(*), sum(id), count(DISTINCT note), min(note) FROM public.events"
                + " WHERE _cell_id = 'cell-1' AND _op = 'r' AND _uploaded_at IS NOT NULL"))
                .containsExactly(List.of("300000", "45000150000", "300000", "note, 1"));
    }

    /** Seeded random values, written as PostgreSQL writes CSV, read back as they were. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void theReaderReadsWhatPostgresWrites(long seed) throws IOException {
        Random random = new Random(seed);
        String alphabet = "ab,\"\n\r\\N. é☃😀\t";
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String[] row = new String[1 + random.nextInt(4)];
            for (int c = 0; c < row.length; c++) {
                if (random.nextInt(5) == 0) {
                    continue;
                }
                StringBuilder value = new StringBuilder();
                int length = random.nextInt(6);
                for (int k = 0; k < length; k++) {
                    value.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0,
                            alphabet.length())))));
                }
                row[c] = value.toString();
            }
            rows.add(row);
        }
        for (int width = 1; width <= 4; width++) {
            int columns = width;
            List<String[]> ofWidth = rows.stream().filter(row -> row.length == columns).toList();
            StringBuilder csv = new StringBuilder();
            ofWidth.forEach(row -> csv.append(postgresCsv(row)));
            PostgresCsvReader reader = new PostgresCsvReader(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), columns);
            for (String[] expected : ofWidth) {
                RowImage read = reader.next();
                String[] values = new String[columns];
                Arrays.setAll(values, read::value);
                assertThat(values).as("row of width %d", columns).containsExactly(expected);
            }
            assertThat(reader.next()).isNull();
        }
        // the row counter agrees with the reader, however the bytes are split
        byte[] all = rows.stream().map(CsvSnapshotInsertTest::postgresCsv).reduce("", String::concat).getBytes(StandardCharsets.UTF_8);
        CsvRowCounter counter = new CsvRowCounter();
        for (int offset = 0; offset < all.length; ) {
            int length = Math.min(all.length - offset, 1 + random.nextInt(40));
            if (length == 1 && random.nextBoolean()) {
                counter.add(all[offset]);
            } else {
                counter.add(all, offset, length);
            }
            offset += length;
        }
        assertThat(counter.rows()).isEqualTo(rows.size());
        assertThatThrownBy(() -> new PostgresCsvReader(new ByteArrayInputStream("1,2\n".getBytes(StandardCharsets.UTF_8)), 3).next())
                .isInstanceOf(IOException.class).hasMessageContaining("2 fields, expected 3");
        assertThatThrownBy(() -> new PostgresCsvReader(new ByteArrayInputStream("\"open\n".getBytes(StandardCharsets.UTF_8)), 1).next())
                .isInstanceOf(IOException.class).hasMessageContaining("not closed");
    }

    private static void write(SnapshotLoad load, List<String[]> rows) {
        OutputStream csv = load.csv().orElseThrow();
        for (String[] row : rows) {
            try {
                csv.write(postgresCsv(row).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** A row as {@code COPY ... TO STDOUT (FORMAT csv)} writes it: NULL unquoted and empty, a value quoted when it must be. */
    static String postgresCsv(String[] row) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            String value = row[i];
            if (value == null) {
                continue;
            }
            boolean quote = value.isEmpty() || value.equals("\\.") || value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
            line.append(quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value);
        }
        return line.append('\n').toString();
    }

    private List<Path> temporaryFiles() {
        try (Stream<Path> files = Files.list(SnapshotFiles.directory(directory.resolve("warehouse.duckdb")))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
