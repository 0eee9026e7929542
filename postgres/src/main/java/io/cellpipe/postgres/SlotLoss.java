package io.cellpipe.postgres;

import io.cellpipe.core.config.SlotConfig;
import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.spi.CaptureException;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.Resync;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cell's slot is missing or lost although the warehouse holds the cell up to a checkpoint: the
 * changes after it may be gone, so streaming from "now" silently would lose data. Under
 * {@code slot.on_lost: fail} the cell stops with the way out; under {@code resync}, or when a resync of
 * every table of the cell is requested ({@code cellpipe resync --cell ID}), the slot is created again
 * and every table is re-read while the cell streams from the new slot.
 */
final class SlotLoss {
    private static final Logger log = LoggerFactory.getLogger(SlotLoss.class);
    private static final int CHUNK_ROWS = 10_000;

    private final String cellId;
    private final SlotManager slots;
    private final SlotConfig policy;
    private final Destination destination;

    SlotLoss(String cellId, SlotManager slots, SlotConfig policy, Destination destination) {
        this.cellId = cellId;
        this.slots = slots;
        this.policy = policy;
        this.destination = destination;
    }

    /** Where to stream from, after re-creating the slot; or a failure that needs an operator. */
    Lsn recover(Connection connection, Connection replication, SlotManager.SlotState state, Lsn checkpoint) throws SQLException {
        String what = "replication slot " + slots.name() + " is " + state.name().toLowerCase(Locale.ROOT);
        boolean requested = destination.resyncs().stream()
                .anyMatch(resync -> resync.cellId().equals(cellId) && resync.everyTable() && !resync.state().finished());
        if (policy.onLost() == SlotConfig.OnLost.FAIL && !requested) {
            throw new CaptureException(cellId + ": " + what + " although the warehouse holds this cell up to " + checkpoint
                    + "; changes after that point may be gone, and streaming from \"now\" silently would lose them. Run `cellpipe resync"
                    + " --cell " + cellId + "` (re-creates the slot and re-reads every table while the cell streams), or set"
                    + " slot.on_lost: resync to do so automatically", false);
        }
        if (state == SlotManager.SlotState.LOST) {
            slots.drop(connection);
        }
        Lsn start = slots.create(replication).consistentPoint();
        String window = what + "; changes between " + checkpoint + " and " + start + " were not streamed and are re-read";
        if (!requested) {
            destination.requestResync(Resync.request(cellId, Resync.EVERY_TABLE, null, CHUNK_ROWS, window));
        }
        log.error("{}: {}: re-created the slot at {} and re-reading every table while streaming from there (slot.on_lost: {})", cellId,
                window, start, requested ? "resync requested" : policy.onLost().name().toLowerCase(Locale.ROOT));
        return start;
    }
}
