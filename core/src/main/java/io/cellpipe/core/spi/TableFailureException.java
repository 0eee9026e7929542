package io.cellpipe.core.spi;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.TableId;

/**
 * One table of one cell cannot be loaded (e.g. an incompatible schema change). The pipeline stops
 * that table, records why, and keeps loading the cell's other tables.
 */
public class TableFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String cellId;
    private final TableId table;

    public TableFailureException(String cellId, TableId table, String message, Throwable cause) {
        super(message, cause);
        this.cellId = requireNonNull(cellId, "cellId is null");
        this.table = requireNonNull(table, "table is null");
    }

    public String cellId() {
        return cellId;
    }

    public TableId table() {
        return table;
    }
}
