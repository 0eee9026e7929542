package io.cellpipe.duckdb;

import io.cellpipe.core.model.TableId;
import io.cellpipe.core.spi.TableFailureException;

/**
 * A table's new shape cannot be stored in the warehouse table as it is (a column type that neither
 * holds nor widens to the old one, or a column name DuckDB cannot tell apart from another). It is a
 * {@link TableFailureException}, so {@link #cellId()} and {@link #table()} tell the pipeline which
 * table of which cell to stop; the others keep loading.
 */
public final class IncompatibleSchemaException extends TableFailureException {
    private static final long serialVersionUID = 1L;

    public IncompatibleSchemaException(String cellId, TableId table, String message) {
        super(cellId, table, message, null);
    }
}
