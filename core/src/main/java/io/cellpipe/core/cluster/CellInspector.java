package io.cellpipe.core.cluster;

import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.model.TableId;
import java.util.List;

/** What the cross-cell checks read from a cell itself (implemented by the source connector). */
public interface CellInspector {
    /** Every sequence of the cell, with the column it feeds. */
    List<SequenceUsage> sequences(CellConfig cell) throws Exception;

    /** The table's primary key columns in key order; empty when the table has none or does not exist. */
    List<String> primaryKey(CellConfig cell, TableId table) throws Exception;
}
