package io.cellpipe.core.config;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One cell: an id that is part of every warehouse key, the JDBC URL of its database, and the
 * sequence ranges its ids are allocated from (none when unknown).
 */
public record CellConfig(String id, String url, List<SequenceRange> sequenceRanges) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    public CellConfig {
        requireNonNull(id, "id is null");
        requireNonNull(url, "url is null");
        sequenceRanges = List.copyOf(sequenceRanges);
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
        this(id, url, List.of());
    }

    /** The URL without its password, for logs and errors. */
    public String safeUrl() {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
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
