package io.cellpipe.core.config;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * What a cell's capture does when its replication slot is missing or lost (WAL it needed was removed)
 * although the warehouse holds the cell: never stream from "now" silently.
 */
public record SlotConfig(OnLost onLost) {
    public enum OnLost {
        /** Stop the cell with an alert naming the way out ({@code cellpipe resync --cell ID}). */
        FAIL,
        /** Re-create the slot and re-read every table of the cell while it streams. */
        RESYNC;

        static OnLost parse(ConfigSection section, String key, String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "fail" -> FAIL;
                case "resync" -> RESYNC;
                default -> throw section.error(key, "must be fail or resync, not '" + text + "'");
            };
        }
    }

    public SlotConfig {
        requireNonNull(onLost, "onLost is null");
    }

    public static SlotConfig defaults() {
        return new SlotConfig(OnLost.FAIL);
    }

    static SlotConfig read(ConfigSection section) {
        SlotConfig slot = new SlotConfig(OnLost.parse(section, "on_lost", section.optionalString("on_lost", "fail")));
        section.finish();
        return slot;
    }
}
