package io.cellpipe.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One measurement of the WAL a cell keeps for the pipeline's replication slot, and how close that
 * is to {@code max_slot_wal_keep_size}, past which PostgreSQL removes the WAL and the slot is lost.
 *
 * @param lagBytes current WAL position minus the slot's confirmed flush position
 * @param retainedBytes current WAL position minus the slot's restart position: what the cell keeps on disk for it
 * @param limitBytes {@code max_slot_wal_keep_size} in bytes, empty when unlimited
 * @param safeBytes WAL that can still be written before the slot is in danger of losing WAL it needs
 *     ({@code safe_wal_size}), empty when unlimited
 * @param walStatus {@code reserved}, {@code extended}, {@code unreserved} or {@code lost}
 */
public record SlotWal(long lagBytes, long retainedBytes, OptionalLong limitBytes, OptionalLong safeBytes, String walStatus) {
    public SlotWal {
        requireNonNull(limitBytes, "limitBytes is null");
        requireNonNull(safeBytes, "safeBytes is null");
        requireNonNull(walStatus, "walStatus is null");
    }

    /** Retained WAL as a fraction of {@code max_slot_wal_keep_size}; empty when unlimited. */
    public OptionalDouble usedFraction() {
        if (limitBytes.isEmpty() || limitBytes.getAsLong() <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((double) retainedBytes / limitBytes.getAsLong());
    }
}
