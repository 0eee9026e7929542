package io.cellpipe.duckdb;

import static java.util.Objects.requireNonNull;

import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ResyncProgress;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One thing a batch does to the warehouse, prepared by {@link BatchPreparation} and run in order
 * by {@link BatchWrite} inside the batch's transaction.
 */
sealed interface BatchStep {
    /** The rows the step holds, which bounds how much a {@link StepQueue} holds. */
    int rows();

    /** Change log rows, in order. */
    record LogRows(List<ChangeLogWriter.Row> logRows) implements BatchStep {
        public LogRows {
            requireNonNull(logRows, "logRows is null");
        }

        @Override
        public int rows() {
            return logRows.size();
        }
    }

    /** Coalesced rows of one table. */
    record TableRows(TableBuffer.Write write) implements BatchStep {
        public TableRows {
            requireNonNull(write, "write is null");
        }

        @Override
        public int rows() {
            return write.rows();
        }
    }

    /** A column the cell's warehouse rows do not account for yet (see {@link ColumnFills}). */
    record Fill(String cellId, TableSchema schema, Column column, TableId table) implements BatchStep {
        public Fill {
            requireNonNull(cellId, "cellId is null");
            requireNonNull(schema, "schema is null");
            requireNonNull(column, "column is null");
            requireNonNull(table, "table is null");
        }

        @Override
        public int rows() {
            return 0;
        }
    }

    record Truncate(TableBinding binding, CommitStamp stamp) implements BatchStep {
        public Truncate {
            requireNonNull(binding, "binding is null");
            requireNonNull(stamp, "stamp is null");
        }

        @Override
        public int rows() {
            return 0;
        }
    }

    /** A resync chunk's rows are written; its progress follows (see {@link Resyncs}). */
    record ResyncChunkDone(ResyncProgress progress, CommitStamp stamp) implements BatchStep {
        public ResyncChunkDone {
            requireNonNull(progress, "progress is null");
            requireNonNull(stamp, "stamp is null");
        }

        @Override
        public int rows() {
            return 0;
        }
    }

    /** Preparing failed (an Error too); nothing of the batch may be committed. */
    record Failed(Throwable failure) implements BatchStep {
        public Failed {
            requireNonNull(failure, "failure is null");
        }

        @Override
        public int rows() {
            return 0;
        }
    }

    /**
     * The last step. The collections are handed over: the preparing thread no longer has them.
     *
     * @param lastPerCell each cell's last transaction, whose position the checkpoint takes
     * @param filled the columns filled, as cell, table, column
     */
    record Done(Map<String, CommitStamp> lastPerCell, Set<List<String>> filled) implements BatchStep {
        public Done {
            requireNonNull(lastPerCell, "lastPerCell is null");
            requireNonNull(filled, "filled is null");
        }

        @Override
        public int rows() {
            return 0;
        }
    }
}
