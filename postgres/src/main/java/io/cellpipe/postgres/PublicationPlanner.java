package io.cellpipe.postgres;

import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.privacy.ColumnPolicies;
import io.cellpipe.core.privacy.TablePolicy;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 */
final class PublicationPlanner {
    private static final Logger log = LoggerFactory.getLogger(PublicationPlanner.class);
    static final int COLUMN_LISTS_VERSION = 150000;

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

    List<PublishedTable> plan(List<CellCatalog.CatalogTable> tables) throws SQLException {
        List<PublishedTable> published = new ArrayList<>(tables.size());
        for (CellCatalog.CatalogTable table : tables) {
            published.add(new PublishedTable(table.id(), columnList(table), null));
        }
        return published;
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
