package io.cellpipe.postgres;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.privacy.TablePolicy;
import io.cellpipe.core.spi.CaptureException;
import io.cellpipe.core.spi.CellCheckpoint;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.Source;
import io.cellpipe.core.spi.SourceContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures one PostgreSQL cell: checks it, keeps the publication in step with the table selection,
 * takes the initial snapshot from a new slot's exported snapshot when the destination has nothing
 * for the cell, then streams from the destination's checkpoint.
 */
public final class PostgresSource implements Source {
    private static final Logger log = LoggerFactory.getLogger(PostgresSource.class);

    private final PostgresSourceOptions options;
    private final CellConnector connector;
    private final SlotManager slots;

    public PostgresSource(PostgresSourceOptions options) {
        this.options = options;
        this.connector = new CellConnector(options.cell());
        this.slots = new SlotManager(options.cell().id(), options.cell().slotName(options.name()), "cellpipe_" + options.name());
    }

    @Override
    public String cellId() {
        return options.cell().id();
    }

    @Override
    public void run(SourceContext context) throws Exception {
        context.state(CellState.STARTING, "connecting to " + options.cell().safeUrl());
        try (Connection connection = openChecked()) {
            int serverVersion = Preflight.check(cellId(), connection);
            CellCatalog catalog = new CellCatalog(connection);
            List<CellCatalog.CatalogTable> tables = catalog.tables(options.tables());
            warnAboutTablesWithoutIdentity(tables);
            checkPolicies(catalog, tables);
            PublicationPlanner.Plan plan = new PublicationPlanner(cellId(), serverVersion, catalog, options.policies())
                    .plan(tables, slots.publication() + "_probe");
            List<TableId> added = publish(connection, serverVersion, plan, context.checkpoint().isPresent());
            if (!added.isEmpty() && context.checkpoint().isPresent()) {
                NewTables.backfill(cellId(), added, context.destination());
            }
            try (Connection replication = connector.openReplication()) {
                Lsn start = startingPoint(context, connection, replication, catalog, tables, plan.rowFilters());
                context.state(CellState.STREAMING, "streaming from " + start + " (PostgreSQL " + serverVersion / 10000 + ")");
                ResyncWindows windows = new ResyncWindows(cellId(), slots.name(), options.capture().spillDirectory(),
                        options.capture().transactionMemory());
                ReplicationReader reader = new ReplicationReader(cellId(), options.capture(), connection, replication, catalog, slots.name(),
                        slots.publication(), options.policies(), plan.rowFilters(),
                        windows);
                ResyncWorker resyncs = new ResyncWorker(options, connector, slots.name(), windows, plan.rowFilters(), context);
                Thread resyncThread = Thread.ofPlatform().name("cell-" + cellId() + "-resync").start(resyncs);
                try {
                    reader.stream(context, start, Preflight.protocolVersion(serverVersion), names(tables));
                } finally {
                    resyncs.stop();
                    resyncThread.interrupt();
                    resyncThread.join(java.time.Duration.ofSeconds(10));
                }
            }
        } catch (SQLException e) {
            throw classify(e);
        }
    }

    /**
     * Sets the publication in a transaction that is rolled back, refusing to start, when a SQL
     * predicate row filter is new or changed for a cell that streams from a checkpoint: PostgreSQL
     * decodes the changes committed before the publication changed with the publication as it was,
     * so they would be streamed unfiltered. A re-copy starts a new slot after the change. (A values
     * filter is applied by the capture process too, so it may change while streaming.)
     */
    private List<TableId> publish(Connection connection, int serverVersion, PublicationPlanner.Plan plan, boolean streaming)
            throws SQLException {
        if (serverVersion < PublicationPlanner.ROW_FILTERS_VERSION || !streaming) {
            return slots.ensurePublication(connection, plan.published());
        }
        connection.setAutoCommit(false);
        try {
            java.util.Map<TableId, String> before = slots.rowFilters(connection);
            List<TableId> added = slots.ensurePublication(connection, plan.published());
            java.util.Map<TableId, String> after = slots.rowFilters(connection);
            List<TableId> changed = plan.published().stream().map(PublishedTable::id)
                    .filter(table -> options.policies().config().rowFilter(table) instanceof io.cellpipe.core.privacy.RowFilter.Predicate)
                    .filter(table -> !java.util.Objects.equals(before.get(table), after.get(table))).toList();
            if (!changed.isEmpty()) {
                connection.rollback();
                throw new CaptureException(cellId() + ": the where row filter of " + changed + " is new or changed. Changes since the"
                        + " warehouse's checkpoint were published without it and would be loaded unfiltered, so the publication was left"
                        + " as it was. Apply it with a re-copy: `cellpipe run --resnapshot " + cellId() + "`", false);
            }
            connection.commit();
            return added;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private Connection openChecked() {
        try {
            return connector.open();
        } catch (SQLException e) {
            throw classify(e);
        }
    }

    private Lsn startingPoint(SourceContext context, Connection connection, Connection replication, CellCatalog catalog,
            List<CellCatalog.CatalogTable> tables, CellRowFilters rowFilters) throws Exception {
        Optional<CellCheckpoint> checkpoint = context.checkpoint();
        if (checkpoint.isPresent()) {
            SlotManager.SlotState state = slots.state(connection);
            if (state != SlotManager.SlotState.PRESENT) {
                return new SlotLoss(cellId(), slots, options.slot(), context.destination()).recover(connection, replication, state,
                        checkpoint.get().lsn());
            }
            refuseAGap(connection, checkpoint.get(), context);
            return checkpoint.get().lsn();
        }
        return snapshot(context, connection, replication, catalog, tables, rowFilters);
    }

    /** The captured tables' names by OID as the catalog has them now: a Relation message naming one differently is a rename. */
    private static java.util.Map<Integer, TableId> names(List<CellCatalog.CatalogTable> tables) {
        java.util.Map<Integer, TableId> names = new java.util.HashMap<>();
        for (CellCatalog.CatalogTable table : tables) {
            names.put((int) table.oid(), table.id());
        }
        return names;
    }

    /**
     * PostgreSQL streams from the slot's confirmed position when asked for an earlier one, without a
     * word. The slot is acknowledged only up to positions the warehouse recorded, so a slot ahead of
     * the checkpoint was read by another warehouse (a restored backup, a copied file, a second pipeline
     * of the same name): the changes in between are not in this one. Unless a resync of every table is
     * under way (which re-reads them), the cell stops with both positions and the fix.
     */
    private void refuseAGap(Connection connection, CellCheckpoint checkpoint, SourceContext context) throws SQLException {
        Optional<Lsn> confirmed = slots.confirmedFlush(connection);
        if (confirmed.isEmpty() || !confirmed.get().isAfter(checkpoint.lsn())) {
            return;
        }
        String gap = "replication slot " + slots.name() + " has confirmed changes up to " + confirmed.get() + " but the warehouse holds this"
                + " cell only up to " + checkpoint.lsn();
        if (!checkpoint.recordsAcknowledgements()) {
            log.info("{}: {}; the checkpoint was written by an earlier version, which acknowledged idle positions without recording them",
                    cellId(), gap);
            return;
        }
        boolean repairing = context.destination().resyncs().stream()
                .anyMatch(resync -> resync.cellId().equals(cellId()) && resync.everyTable() && !resync.state().finished());
        if (repairing) {
            log.warn("{}: {}; streaming from {} while the requested resync of every table re-reads what lies between", cellId(), gap,
                    confirmed.get());
            return;
        }
        throw new CaptureException(cellId() + ": " + gap + ": the warehouse is older than the slot (restored from a backup, copied, or"
                + " another pipeline named " + options.name() + " reads this cell), and the changes in between are not in it. Run"
                + " `cellpipe resync --cell " + cellId() + "` to re-read every table while the cell streams; stop the other pipeline first"
                + " if there is one", false);
    }

    private Lsn snapshot(SourceContext context, Connection connection, Connection replication, CellCatalog catalog,
            List<CellCatalog.CatalogTable> tables, CellRowFilters rowFilters) throws Exception {
        slots.drop(connection);
        SlotManager.CreatedSlot slot = slots.create(replication);
        context.state(CellState.SNAPSHOTTING, "copying " + tables.size() + " tables as of " + slot.consistentPoint());
        Instant started = Instant.now();
        List<TableSchema> schemas = new ArrayList<>();
        List<SnapshotCopier.Chunk> chunks = new ArrayList<>();
        Map<TableId, Long> estimates = new HashMap<>();
        for (CellCatalog.CatalogTable table : tables) {
            TablePolicy policy = options.policies().forTable(catalog.schema(table));
            schemas.add(policy.schema());
            List<TableId> relations = catalog.storageRelations(table);
            chunks.addAll(SnapshotCopier.plan(policy, rowFilters.sql(table.id()), relations, catalog, options.capture().snapshotChunkPages()));
            long estimate = 0;
            for (TableId relation : relations) {
                estimate += catalog.estimatedRows(relation);
            }
            estimates.put(policy.schema().id(), estimate);
        }
        context.destination().beginSnapshot(cellId(), schemas);
        SnapshotCopier copier = new SnapshotCopier(cellId(), connector, options.capture().snapshotParallelism(),
                options.capture().snapshotChunkPages());
        Map<TableId, Long> rows = copier.copy(slot.snapshotName(), chunks, estimates, context);
        if (!context.running()) {
            throw new CaptureException(cellId() + ": stopped during the snapshot; it restarts from the beginning next time", true);
        }
        context.destination().completeSnapshot(cellId(), slot.consistentPoint(), started);
        long total = rows.values().stream().mapToLong(Long::longValue).sum();
        log.info("{}: snapshot of {} tables ({} rows, {} chunks) complete in {} ms; streaming from {}", cellId(), tables.size(), total,
                chunks.size(), java.time.Duration.between(started, Instant.now()).toMillis(), slot.consistentPoint());
        return slot.consistentPoint();
    }

    /** Refuses to start, naming the column, when a policy would drop a key column of a captured table. */
    private void checkPolicies(CellCatalog catalog, List<CellCatalog.CatalogTable> tables) throws SQLException {
        for (CellCatalog.CatalogTable table : tables) {
            try {
                options.policies().forTable(catalog.schema(table));
            } catch (CaptureException e) {
                throw new CaptureException(cellId() + ": " + e.getMessage(), false);
            }
        }
    }

    private void warnAboutTablesWithoutIdentity(List<CellCatalog.CatalogTable> tables) {
        for (CellCatalog.CatalogTable table : tables) {
            if (!table.hasPrimaryKey() && table.replicaIdentity() == 'd') {
                log.warn("{}: table {} has no primary key and REPLICA IDENTITY DEFAULT: PostgreSQL will reject UPDATE and DELETE on it"
                        + " while it is published. Fix: ALTER TABLE {} REPLICA IDENTITY FULL; (it is then loaded append-only)",
                        cellId(), table.id(), table.id().quoted());
            }
        }
    }

    /** Drops this pipeline's replication slot on the cell (after the cell was removed on purpose), so it stops retaining WAL. */
    public void dropSlot() {
        try (Connection connection = connector.open()) {
            slots.drop(connection);
            log.info("{}: dropped replication slot {}", cellId(), slots.name());
        } catch (SQLException e) {
            throw classify(e);
        }
    }

    private CaptureException classify(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = cellId() + " (" + options.cell().safeUrl() + ")";
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P03") || state.equals("55006") || state.isEmpty()) {
            return new CaptureException(where + ": cell unreachable or restarting: " + e.getMessage() + "; retrying", true, e);
        }
        if (state.startsWith("28")) {
            return new CaptureException(where + ": authentication failed: " + e.getMessage() + ". Fix the user or password in the cell URL", false, e);
        }
        if (state.equals("3D000")) {
            return new CaptureException(where + ": database does not exist: " + e.getMessage() + ". Fix the database name in the cell URL", false, e);
        }
        if (state.equals("42501")) {
            return new CaptureException(where + ": missing privilege: " + e.getMessage()
                    + ". Fix: GRANT SELECT ON the captured tables TO the capture role, and ALTER ROLE ... WITH REPLICATION", false, e);
        }
        return new CaptureException(where + ": " + e.getMessage() + " (SQLSTATE " + state + ")", true, e);
    }
}
