package io.cellpipe.core.config;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One cell: an id that is part of every warehouse key, the JDBC URL of its database, the sequence
 * ranges its ids are allocated from (none when unknown), and its replication slot's name when it is
 * not the pipeline's (cells that are databases of one server need one slot each: slot names are
 * per server, publications per database).
 */
public record CellConfig(String id, String url, List<SequenceRange> sequenceRanges, Optional<String> slot) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");

    public CellConfig {
        requireNonNull(id, "id is null");
        requireNonNull(url, "url is null");
        sequenceRanges = List.copyOf(sequenceRanges);
        requireNonNull(slot, "slot is null");
        if (slot.isPresent() && !SLOT.matcher(slot.get()).matches()) {
            throw new IllegalArgumentException("cell " + id + ": slot name '" + slot.get()
                    + "' must be 1-63 lower-case letters, digits or '_' (PostgreSQL's rule for replication slot names)");
        }
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("cell id '" + id + "' must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("cell " + id + ": url must start with jdbc:postgresql://");
        }
        for (int i = 0; i < sequenceRanges.size(); i++) {
            for (int j = i + 1; j < sequenceRanges.size(); j++) {
                if (sequenceRanges.get(i).overlaps(sequenceRanges.get(j))) {
                    throw new IllegalArgumentException("cell " + id + ": sequence ranges " + sequenceRanges.get(i) + " and "
                            + sequenceRanges.get(j) + " overlap");
                }
            }
        }
    }

    public CellConfig(String id, String url) {
        this(id, url, List.of(), Optional.empty());
    }

    /** The replication slot this cell is captured through: its own, or {@code cellpipe_<pipeline>}. */
    public String slotName(String pipeline) {
        return slot.orElse("cellpipe_" + pipeline);
    }

    /** The URL without its password, for logs and errors. */
    public String safeUrl() {
        return Credentials.scrub(url);
    }

    @Override
    public String toString() {
        return "CellConfig[id=" + id + ", url=" + safeUrl() + ", sequenceRanges=" + sequenceRanges + ", slot=" + slot + "]";
    }

    /** Whether {@code value} lies in one of this cell's ranges; true when the cell has none. */
    public boolean inRange(long value) {
        if (sequenceRanges.isEmpty()) {
            return true;
        }
        for (SequenceRange range : sequenceRanges) {
            if (range.contains(value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks a set of cells: ids unique, and no two cells sharing ids through overlapping sequence
     * ranges (their rows could not be told apart by id).
     *
     * @throws IllegalArgumentException naming both cells
     */
    public static void checkDistinct(List<CellConfig> cells) {
        Set<String> ids = new HashSet<>();
        for (CellConfig cell : cells) {
            if (!ids.add(cell.id())) {
                throw new IllegalArgumentException("cell id '" + cell.id() + "' appears twice; cell ids must be unique");
            }
        }
        for (int i = 0; i < cells.size(); i++) {
            for (int j = i + 1; j < cells.size(); j++) {
                for (SequenceRange a : cells.get(i).sequenceRanges()) {
                    for (SequenceRange b : cells.get(j).sequenceRanges()) {
                        if (a.overlaps(b)) {
                            throw new IllegalArgumentException("sequence ranges overlap: cell " + cells.get(i).id() + " has " + a
                                    + " and cell " + cells.get(j).id() + " has " + b + "; every cell needs its own ids");
                        }
                    }
                }
            }
        }
    }
}
