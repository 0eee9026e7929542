package io.cellpipe.cli;

import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.model.KeyRange;
import io.cellpipe.core.config.TableSelection;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.privacy.ColumnPolicies;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.verify.RangeChecksums;
import io.cellpipe.core.verify.RangeVerifier;
import io.cellpipe.core.verify.TableComparator;
import io.cellpipe.core.verify.TableDifference;
import io.cellpipe.core.verify.VerifyRow;
import io.cellpipe.postgres.PostgresRowSource;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compares every captured table of every cell with the warehouse and prints what differs. A cell
 * that cannot be reached, or a table stopped by an error, counts as a mismatch: "verified" means
 * every row of every cell was seen to match.
 */
final class Verification {
    private static final int DIFFERENCES_SHOWN = 10;

    private final Destination destination;
    private final TableSelection selection;
    private final ColumnPolicies policies;
    private final PrintStream out;

    record Summary(int cells, int tables, long rows, int failedCells, int mismatchedTables, List<Repair> repairs) {
        boolean matches() {
            return failedCells == 0 && mismatchedTables == 0;
        }
    }

    /** What a repair re-reads of a mismatched table: the differing key ranges, or the whole table (no ranges). */
    record Repair(String cellId, String table, List<KeyRange> ranges) {
    }

    /** Beyond this many differing ranges, a repair re-reads the whole table instead. */
    private static final int MAX_REPAIRED_RANGES = 50;

    private RangeVerifier byRange;

    /** Verifies tables with one integer key by key range (checksums per range, rows only where they differ). */
    Verification byRange(long rowsPerRange) {
        this.byRange = new RangeVerifier(rowsPerRange, DIFFERENCES_SHOWN);
        return this;
    }

    Verification(Destination destination, TableSelection selection, PrintStream out) {
        this(destination, selection, ColumnPolicies.none(), out);
    }

    /** Compares the cells' rows transformed by {@code policies}, as the capture transforms them, with the warehouse. */
    Verification(Destination destination, TableSelection selection, ColumnPolicies policies, PrintStream out) {
        this.destination = destination;
        this.selection = selection;
        this.policies = policies;
        this.out = out;
    }

    Summary verify(List<CellConfig> cells) {
        int tables = 0;
        long rows = 0;
        int failedCells = 0;
        int mismatched = 0;
        List<Repair> repairs = new ArrayList<>();
        Map<String, Map<String, String>> stopped = destination.stoppedTables();
        for (CellConfig cell : cells) {
            List<TableComparator.Result> results;
            Map<String, List<KeyRange>> ranges = new java.util.HashMap<>();
            try {
                results = verifyCell(cell, ranges);
            } catch (Exception e) {
                out.println("verify: " + cell.id() + ": cannot read the cell: " + e.getMessage());
                failedCells++;
                continue;
            }
            for (TableComparator.Result result : results) {
                tables++;
                rows += result.sourceRows();
                String table = result.table().id().qualified();
                String stopReason = stopped.getOrDefault(cell.id(), Map.of()).get(table);
                if (stopReason != null) {
                    mismatched++;
                    out.println("verify: " + cell.id() + " " + table + ": STOPPED by an error, not loading: " + stopReason);
                } else if (!result.matches()) {
                    mismatched++;
                    List<KeyRange> differing = ranges.get(table);
                    repairs.add(new Repair(cell.id(), table, differing == null || differing.size() > MAX_REPAIRED_RANGES ? List.of() : differing));
                    out.println("verify: " + cell.id() + " " + table + ": " + result.differenceCount() + " differences (cell "
                            + result.sourceRows() + " rows, warehouse " + result.warehouseRows() + " live rows)");
                    for (TableDifference difference : result.differences().subList(0, Math.min(DIFFERENCES_SHOWN, result.differences().size()))) {
                        out.println("  " + difference);
                    }
                }
            }
        }
        return new Summary(cells.size(), tables, rows, failedCells, mismatched, List.copyOf(repairs));
    }

    private List<TableComparator.Result> verifyCell(CellConfig cell, Map<String, List<KeyRange>> ranges) throws Exception {
        TableComparator comparator = new TableComparator(DIFFERENCES_SHOWN);
        List<TableComparator.Result> results = new ArrayList<>();
        try (PostgresRowSource source = new PostgresRowSource(cell, policies)) {
            for (TableSchema table : source.tables(selection)) {
                if (byRange != null && destination instanceof RangeChecksums warehouse && RangeChecksums.supports(table)) {
                    RangeVerifier.Result result = byRange.verify(cell.id(), table, source, warehouse);
                    results.add(result.rows());
                    ranges.put(table.id().qualified(), result.differingRanges());
                    continue;
                }
                Iterator<VerifyRow> sourceRows = source.scan(cell.id(), table);
                Iterator<VerifyRow> warehouseRows = destination.scan(cell.id(), table);
                try {
                    results.add(comparator.compare(cell.id(), table, sourceRows, warehouseRows));
                } finally {
                    closeQuietly(sourceRows);
                    closeQuietly(warehouseRows);
                }
            }
        }
        return results;
    }

    private static void closeQuietly(Iterator<VerifyRow> rows) throws Exception {
        if (rows instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
