package io.cellpipe.core.config;

import io.cellpipe.core.model.TableId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tables that exist in every cell and must agree: static data tables (one truth for all cells) and
 * cluster settings tables (each cell's own copy, expected to match the others).
 */
public record ClusterwideConfig(List<TableId> staticTables, List<TableId> settingsTables) {
    public ClusterwideConfig {
        staticTables = List.copyOf(staticTables);
        settingsTables = List.copyOf(settingsTables);
        Set<TableId> seen = new HashSet<>();
        for (TableId table : staticTables) {
            if (!seen.add(table)) {
                throw new IllegalArgumentException("clusterwide.static lists " + table + " twice");
            }
        }
        for (TableId table : settingsTables) {
            if (!seen.add(table)) {
                throw new IllegalArgumentException("clusterwide: " + table + " is listed " + (staticTables.contains(table)
                        ? "both as static and as settings" : "twice in settings") + "; a table is one or the other");
            }
        }
    }

    public static ClusterwideConfig none() {
        return new ClusterwideConfig(List.of(), List.of());
    }

    public boolean isEmpty() {
        return staticTables.isEmpty() && settingsTables.isEmpty();
    }
}
