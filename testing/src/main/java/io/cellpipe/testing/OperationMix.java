package io.cellpipe.testing;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The everyday operations of a workload and how often each happens (weights add up to 100). Each operation is one
 * transaction, committed here.
 */
final class OperationMix {
    /** One kind of operation, which commits what it does; the name shows up in error messages. */
    record Operation(String name, int weight, Action action) {
    }

    @FunctionalInterface
    interface Action {
        void run() throws SQLException;
    }

    private final List<Operation> operations = new ArrayList<>();
    private final WorkloadState state;
    private final int totalWeight;

    OperationMix(WorkloadState state, RowInserts inserts, RowChanges changes) {
        this.state = state;
        add("insert namespace", 4, inserts::namespace);
        add("insert user", 8, inserts::user);
        add("insert project", 7, inserts::project);
        add("insert merge request", 18, inserts::mergeRequest);
        add("insert build", 14, inserts::build);
        add("insert plan", 1, inserts::plan);
        add("insert application settings", 1, inserts::applicationSettings);
        add("insert schema migration", 2, inserts::schemaMigration);
        add("update merge request", 10, changes::updateMergeRequest);
        add("update project stars (TOAST unchanged)", 5, changes::starProject);
        add("update project description", 2, changes::describeProject);
        add("update user sign-in", 5, changes::signInUser);
        add("update application settings", 2, changes::changeApplicationSettings);
        add("update plan", 1, changes::renamePlan);
        add("delete merge request", 4, changes::deleteMergeRequest);
        add("delete build", 4, changes::deleteBuild);
        add("delete user", 1, changes::deleteUser);
        add("pipeline run (multi-statement transaction)", 11, () -> pipelineRun(inserts, changes));
        this.totalWeight = operations.stream().mapToInt(Operation::weight).sum();
    }

    Operation pick() {
        int ticket = state.random.nextInt(totalWeight);
        for (Operation operation : operations) {
            ticket -= operation.weight();
            if (ticket < 0) {
                return operation;
            }
        }
        throw new IllegalStateException("weights changed while picking");
    }

    /** A merge request with its builds and the project's star count, committed together. */
    private void pipelineRun(RowInserts inserts, RowChanges changes) throws SQLException {
        inserts.mergeRequest();
        long project = inserts.anyProject();
        int builds = state.values.between(1, 5);
        for (int i = 0; i < builds; i++) {
            inserts.build(project);
        }
        changes.updateMergeRequest();
        changes.starProject();
    }

    private void add(String name, int weight, Action action) {
        operations.add(new Operation(name, weight, () -> {
            action.run();
            state.commit();
        }));
    }
}
