package io.cellpipe.duckdb;

import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.Operation;
import io.cellpipe.core.model.TableId;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Loads a file of snapshot rows, as PostgreSQL's {@code COPY ... TO STDOUT (FORMAT csv)} writes
 * them, into the warehouse table with one {@code INSERT ... SELECT} from DuckDB's CSV reader: the
 * rows are parsed, cast and compressed by DuckDB alone, where reading each value in Java and
 * handing it to the appender cost about twice the CPU per row (docs/BENCHMARKS.md). Each value is
 * cast as a staged value is ({@link DuckDbTypes#castFromText}), so a row holds what it would have
 * held had it been staged.
 *
 * <p>Only for shapes whose every value DuckDB's cast reads as PostgreSQL wrote it: not for an
 * {@code INTERVAL} column, whose text {@link StagedValue} rewrites. A date or timestamp before
 * year 1, which PostgreSQL ends with " BC" and DuckDB's cast would silently read as AD, fails the
 * statement instead, as does any value DuckDB does not read; the caller then reads the file's
 * rows in Java ({@link PostgresCsvReader}).
 */
final class CsvSnapshotInsert {
    private final TableBinding binding;

    private CsvSnapshotInsert(TableBinding binding) {
        this.binding = binding;
    }

    static Optional<CsvSnapshotInsert> of(TableBinding binding) {
        for (int index = 0; index < binding.size(); index++) {
            if (binding.kind(index) == ColumnKind.INTERVAL) {
                return Optional.empty();
            }
        }
        return Optional.of(new CsvSnapshotInsert(binding));
    }

    /** The statement loading {@code file} with {@code stamp}'s metadata; it returns the number of rows inserted. */
    String sql(Path file, CommitStamp stamp) {
        WarehouseTable table = binding.table();
        StringBuilder columns = new StringBuilder(TableId.quote(WarehouseTable.CELL_ID));
        StringBuilder values = new StringBuilder(literal(stamp.cellId()));
        StringBuilder types = new StringBuilder();
        for (int index = 0; index < binding.size(); index++) {
            WarehouseColumn column = table.column(binding.position(index));
            String field = "c" + index;
            columns.append(", ").append(column.quoted());
            values.append(", ").append(DuckDbTypes.castFromText(guarded(field, binding.kind(index)), column.sqlType()));
            types.append(index == 0 ? "" : ", ").append('\'').append(field).append("': 'VARCHAR'");
        }
        for (WarehouseColumn column : WarehouseTable.METADATA) {
            columns.append(", ").append(column.quoted());
        }
        // UBIGINT takes the LSN's 64 bits as they are; a snapshot row has no commit time
        values.append(", ").append(literal(stamp.lsnText())).append(", CAST('").append(Long.toUnsignedString(stamp.lsn().value()))
                .append("' AS UBIGINT), ").append(literal(Operation.READ.code())).append(", NULL, false, current_timestamp");
        return "INSERT INTO " + table.quotedName() + " (" + columns + ") SELECT " + values + " FROM read_csv(" + literal(file.toString())
                + ", header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', allow_quoted_nulls = false,"
                + " strict_mode = true, null_padding = false, columns = {" + types + "})";
    }

    /**
     * The file's first line, naming the fields as {@link #sql} reads them. Without it DuckDB would
     * drop a U+FEFF that starts the first row's first value, taking it for a byte order mark.
     */
    String header() {
        StringBuilder header = new StringBuilder();
        for (int index = 0; index < binding.size(); index++) {
            header.append(index == 0 ? "" : ",").append('c').append(index);
        }
        return header.append('\n').toString();
    }

    /** A date or timestamp field, failing on PostgreSQL's " BC" suffix rather than letting the cast drop it. */
    private static String guarded(String field, ColumnKind kind) {
        return switch (kind) {
            case DATE, TIMESTAMP, TIMESTAMPTZ -> "CASE WHEN suffix(" + field + ", ' BC') THEN error('a date before year 1: '"
                    + " || " + field + ") ELSE " + field + " END";
            default -> field;
        };
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
