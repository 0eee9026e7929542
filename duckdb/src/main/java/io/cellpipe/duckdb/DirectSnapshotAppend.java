package io.cellpipe.duckdb;

import io.cellpipe.core.model.Operation;
import io.cellpipe.core.model.RowImage;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.duckdb.DuckDBAppender;

/**
 * Appends snapshot rows straight into their warehouse table, each value read from PostgreSQL text
 * in Java ({@link TextConversion}), instead of staging the text and copying it over with a cast:
 * the rows are written once instead of twice. Only for tables whose every column type has a
 * conversion; from the first row with a value the conversion leaves to DuckDB, the caller loads
 * the rows the staged way.
 */
final class DirectSnapshotAppend {
    private final WarehouseTable table;
    private final TextConversion.Conversion[] conversions;

    private DirectSnapshotAppend(WarehouseTable table, TextConversion.Conversion[] conversions) {
        this.table = table;
        this.conversions = conversions;
    }

    /** Empty when a column of the table has a type whose values are always cast by DuckDB, or columns were added since it was created. */
    static Optional<DirectSnapshotAppend> of(WarehouseTable table) {
        if (!table.inCreatedOrder()) {
            return Optional.empty();
        }
        TextConversion.Conversion[] conversions = new TextConversion.Conversion[table.width()];
        for (int position = 0; position < table.width(); position++) {
            Optional<TextConversion.Conversion> conversion = TextConversion.forType(table.column(position).sqlType());
            if (conversion.isEmpty()) {
                return Optional.empty();
            }
            conversions[position] = conversion.get();
        }
        return Optional.of(new DirectSnapshotAppend(table, conversions));
    }

    /**
     * Appends rows in order until one has a value Java does not read; returns how many were
     * appended (all of them, or the index of that row). The appender joins the transaction open
     * on its connection.
     *
     * @param uploadedMicros the transaction's start, as {@code current_timestamp} gives staged rows
     */
    int append(DuckDBAppender appender, String cellId, TableBinding binding, List<RowImage> rows, CommitStamp stamp, long uploadedMicros)
            throws SQLException {
        RowSlots values = new RowSlots(table.width());
        RowMetadata metadata = RowMetadata.of(cellId, stamp, uploadedMicros);
        int appended = 0;
        for (RowImage row : rows) {
            if (!read(row, binding, values)) {
                return appended;
            }
            appendRow(appender, metadata, values);
            appended++;
        }
        return appended;
    }

    /**
     * Appends one snapshot row of a table {@linkplain WarehouseTable#inCreatedOrder in created
     * order}: the cell, {@code values} by warehouse position, the snapshot's metadata.
     */
    static void appendRow(DuckDBAppender appender, RowMetadata metadata, RowSlots values) throws SQLException {
        appender.beginRow().append(metadata.cellId);
        for (int position = 0; position < values.width(); position++) {
            values.appendTo(appender, position);
        }
        // UBIGINT takes the LSN's 64 bits as they are; a snapshot row has no commit time
        appender.append(metadata.lsnText).append(metadata.lsn).append(metadata.op).appendNull().append(false)
                .appendEpochMicros(metadata.uploadedMicros).endRow();
    }

    /** What every snapshot row of a load holds beside its values, its text as UTF-8 once rather than once per row. */
    record RowMetadata(byte[] cellId, byte[] lsnText, long lsn, byte[] op, long uploadedMicros) {
        /** @param uploadedMicros the transaction's start, as {@code current_timestamp} gives staged rows */
        static RowMetadata of(String cellId, CommitStamp stamp, long uploadedMicros) {
            return new RowMetadata(cellId.getBytes(StandardCharsets.UTF_8), stamp.lsnText().getBytes(StandardCharsets.UTF_8),
                    stamp.lsn().value(), Operation.READ.code().getBytes(StandardCharsets.UTF_8), uploadedMicros);
        }
    }

    /** Fills {@code values} by warehouse position (NULL where the row's shape has no column); false if a value is not read. */
    private boolean read(RowImage row, TableBinding binding, RowSlots values) {
        values.clear();
        for (int index = 0; index < binding.size(); index++) {
            String text = row.value(index);
            if (text != null) {
                int position = binding.position(index);
                if (!conversions[position].read(text, values, position)) {
                    return false;
                }
            }
        }
        return true;
    }
}
