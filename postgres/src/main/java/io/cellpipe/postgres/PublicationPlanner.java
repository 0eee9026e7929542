package io.cellpipe.postgres;

import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.privacy.RowFilter;
import io.cellpipe.core.spi.CaptureException;
import io.cellpipe.core.privacy.ColumnPolicies;
import io.cellpipe.core.privacy.TablePolicy;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides how the publication names each captured table. On PostgreSQL 15+ a table whose policies
 * drop columns is published with a column list of the columns it keeps, so the dropped ones never
 * leave the database, wherever a list is exact:
 * <ul>
 * <li>every column the table may gain later would be dropped too ({@code default: drop}; see
 * {@link ColumnPolicies#dropsColumnsAddedLater}): a list is fixed when it is set, and would
 * otherwise keep a newly added kept column out of the stream;</li>
 * <li>the list covers the replica identity: PostgreSQL refuses UPDATE and DELETE on a published
 * table whose column list leaves out a replica identity column, so a table with {@code REPLICA
 * IDENTITY FULL} gets no list.</li>
 * </ul>
 * Everywhere else (and on PostgreSQL 14) the capture process drops the columns as it decodes.
 *
 * <p>Row filters ({@code privacy.row_filters}) go into the publication (PostgreSQL 15+) where they
 * refer to replica identity columns only, which PostgreSQL requires of a publication that publishes
 * updates and deletes (it would reject them on the table otherwise). A values filter on another
 * column, or on PostgreSQL 14, is applied by the capture process ({@link StreamRowFilter}); a SQL
 * predicate cannot be, so there it is refused.
 */
final class PublicationPlanner {
    private static final Logger log = LoggerFactory.getLogger(PublicationPlanner.class);
    static final int COLUMN_LISTS_VERSION = 150000;
    static final int ROW_FILTERS_VERSION = 150000;

    private final String cellId;
    private final int serverVersion;
    private final CellCatalog catalog;
    private final ColumnPolicies policies;

    PublicationPlanner(String cellId, int serverVersion, CellCatalog catalog, ColumnPolicies policies) {
        this.cellId = cellId;
        this.serverVersion = serverVersion;
        this.catalog = catalog;
        this.policies = policies;
    }

    /** The publication's tables, and the row filters the snapshot and the capture process apply. */
    record Plan(List<PublishedTable> published, CellRowFilters rowFilters) {
    }

    Plan plan(List<CellCatalog.CatalogTable> tables, String probe) throws SQLException {
        List<PublishedTable> published = new ArrayList<>(tables.size());
        Map<TableId, String> sql = new HashMap<>();
        Map<TableId, CellRowFilters.InProcess> inProcess = new HashMap<>();
        for (CellCatalog.CatalogTable table : tables) {
            List<String> columns = columnList(table);
            RowFilter filter = policies.config().rowFilter(table.id());
            String publicationFilter = null;
            if (filter != null) {
                sql.put(table.id(), RowFilterSql.of(filter));
                publicationFilter = rowFilter(table, filter, probe, inProcess);
                CellRowFilters.InProcess applied = inProcess.get(table.id());
                if (applied != null && !columns.isEmpty() && !columns.contains(applied.column())) {
                    // the capture process filters on it, so it must be published; a policy that drops it still does
                    columns = new ArrayList<>(columns);
                    columns.add(applied.column());
                }
            }
            published.add(new PublishedTable(table.id(), columns, publicationFilter));
        }
        for (TableId filtered : policies.config().rowFilters().keySet()) {
            // a misspelt name would otherwise leave the table it meant captured whole
            if (tables.stream().noneMatch(table -> table.id().equals(filtered))) {
                throw new CaptureException(cellId + ": privacy.row_filters names " + filtered + ", which is not a captured table of this"
                        + " cell (tables.include minus tables.exclude); fix the name, or remove the filter", false);
            }
        }
        return new Plan(published, new CellRowFilters(sql, inProcess));
    }

    /** The publication's row filter for a table, or null when the capture process filters (added to {@code inProcess}). */
    private String rowFilter(CellCatalog.CatalogTable table, RowFilter filter, String probe, Map<TableId, CellRowFilters.InProcess> inProcess)
            throws SQLException {
        String where = cellId + ": privacy.row_filters.\"" + table.id() + "\"";
        Set<String> identity = catalog.replicaIdentityColumns(table);
        switch (filter) {
            case RowFilter.Values values -> {
                Set<String> canonical = catalog.canonicalValues(table, values.column(), values.values(), where);
                inProcess.put(table.id(), new CellRowFilters.InProcess(values.column(), canonical));
                if (serverVersion >= ROW_FILTERS_VERSION && identity.contains(values.column())) {
                    return RowFilterSql.of(values);
                }
                log.info("{}: rows of {} are filtered by the capture process ({}){}", cellId, table.id(), serverVersion < ROW_FILTERS_VERSION
                        ? "PostgreSQL " + serverVersion / 10000 + " has no publication row filters"
                        : values.column() + " is not part of the replica identity", identity.contains(values.column()) ? ""
                                : "; an update of a row outside the filter becomes a delete of its key, as its old value is unknown"
                                        + " (REPLICA IDENTITY FULL avoids that)");
                return null;
            }
            case RowFilter.Predicate predicate -> {
                if (serverVersion < ROW_FILTERS_VERSION) {
                    throw new CaptureException(where + " is a SQL predicate, which needs PostgreSQL 15 or newer (publication row filters);"
                            + " this cell runs " + serverVersion / 10000 + ". Use column: with values_file:, which cellpipe applies itself,"
                            + " or exclude the table", false);
                }
                Set<String> referenced = catalog.rowFilterColumns(table, predicate.sql(), probe, where);
                Set<String> outside = new TreeSet<>(referenced);
                outside.removeAll(identity);
                if (!outside.isEmpty()) {
                    throw new CaptureException(where + " refers to " + outside + ", not part of the table's replica identity "
                            + new TreeSet<>(identity) + "; with such a filter PostgreSQL rejects UPDATE and DELETE on the table."
                            + " Fix: ALTER TABLE " + table.id().quoted() + " REPLICA IDENTITY FULL; or filter on identity columns only", false);
                }
                return predicate.sql();
            }
        }
    }

    /** The columns to publish, or an empty list for all of them. */
    private List<String> columnList(CellCatalog.CatalogTable table) throws SQLException {
        if (serverVersion < COLUMN_LISTS_VERSION) {
            return List.of();
        }
        TableSchema source = catalog.schema(table);
        TablePolicy policy = policies.forTable(source);
        if (policy.schema().columns().size() == source.columns().size()) {
            return List.of();
        }
        if (table.replicaIdentity() == 'f') {
            log.debug("{}: {} has REPLICA IDENTITY FULL; its dropped columns are removed in the capture process", cellId, table.id());
            return List.of();
        }
        if (!policies.dropsColumnsAddedLater(source)) {
            log.debug("{}: {} may gain kept columns (privacy.default is keep, or a pattern keeps columns it has not got);"
                    + " its dropped columns are removed in the capture process", cellId, table.id());
            return List.of();
        }
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < policy.schema().columns().size(); i++) {
            kept.add(source.columns().get(policy.sourcePosition(i)).name());
        }
        Set<String> identity = catalog.replicaIdentityColumns(table);
        if (!kept.containsAll(identity)) {
            log.debug("{}: {}'s replica identity includes dropped columns; they are removed in the capture process", cellId, table.id());
            return List.of();
        }
        log.debug("{}: publishing {} of the {} columns of {}", cellId, kept.size(), source.columns().size(), table.id());
        return kept;
    }
}
