package io.cellpipe.postgres;

import io.cellpipe.core.model.TableId;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.Resync;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tables that joined the selection of a cell already streaming: the publication now includes them, so
 * streaming carries their changes from here on, and a resync (watermarked chunks, while streaming)
 * brings the rows they already had. Nothing else of the cell is copied again.
 */
final class NewTables {
    private static final Logger log = LoggerFactory.getLogger(NewTables.class);
    private static final int CHUNK_ROWS = 10_000;

    private NewTables() {
    }

    static void backfill(String cellId, List<TableId> added, Destination destination) {
        List<Resync> known = destination.resyncs();
        for (TableId table : added) {
            boolean queued = known.stream().anyMatch(resync -> resync.cellId().equals(cellId) && !resync.state().finished()
                    && resync.table().equals(table.qualified()) && resync.range() == null);
            if (!queued) {
                destination.requestResync(Resync.request(cellId, table.qualified(), null, CHUNK_ROWS, "newly captured table"));
            }
        }
        log.info("{}: tables {} are newly captured: streaming their changes from now on, and backfilling the rows they had with a resync",
                cellId, added);
    }
}
