package io.cellpipe.duckdb;

import io.cellpipe.core.model.Change;
import io.cellpipe.core.model.ChangeBuffer;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.model.Transaction;
import io.cellpipe.core.verify.VerifyRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Builders for shapes, rows and transactions, and a reader for scans. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2024-05-01T10:00:00.123456Z");

    private Fixtures() {
    }

    static Column key(String name, ColumnKind kind) {
        return new Column(name, ColumnType.of(kind, kind.name().toLowerCase()), true);
    }

    static Column column(String name, ColumnKind kind) {
        return new Column(name, ColumnType.of(kind, kind.name().toLowerCase()), false);
    }

    static TableSchema table(String qualified, Column... columns) {
        return new TableSchema(TableId.parse(qualified), List.of(columns));
    }

    static RowImage row(String... values) {
        return RowImage.of(values);
    }

    /** A row whose columns at {@code unchanged} are unchanged TOAST (their values are ignored). */
    static RowImage toasted(String[] values, int... unchanged) {
        boolean[] flags = new boolean[values.length];
        for (int index : unchanged) {
            flags[index] = true;
            values[index] = null;
        }
        return new RowImage(values, flags);
    }

    static Transaction transaction(String cellId, long lsn, Change... changes) {
        ChangeBuffer buffer = ChangeBuffer.inMemory();
        for (Change change : changes) {
            buffer.add(change);
        }
        return new Transaction(cellId, lsn, new Lsn(lsn), T0.plusSeconds(lsn), buffer);
    }

    /** The scan as lists of values, with "deleted" appended as the last element when the row is deleted. */
    static List<List<String>> scan(DuckDbDestination destination, String cellId, TableSchema table) {
        List<List<String>> rows = new ArrayList<>();
        Iterator<VerifyRow> scan = destination.scan(cellId, table);
        try {
            while (scan.hasNext()) {
                VerifyRow row = scan.next();
                List<String> values = new ArrayList<>(row.values());
                if (row.deleted()) {
                    values.add("deleted");
                }
                rows.add(values);
            }
        } finally {
            if (scan instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return rows;
    }
}
