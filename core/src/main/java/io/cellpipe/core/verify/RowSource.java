package io.cellpipe.core.verify;

import io.cellpipe.core.model.TableSchema;
import java.util.Iterator;

/** Something verification can read a cell's copy of a table from: the cell itself, or the warehouse. */
public interface RowSource {
    /**
     * The rows of {@code table} for {@code cellId}, ordered by the key columns (text keys in byte
     * order, numbers numerically), each value in the canonical text of {@link CanonicalValue}.
     * The caller closes the iterator if it is {@link AutoCloseable}.
     */
    Iterator<VerifyRow> scan(String cellId, TableSchema table);
}
