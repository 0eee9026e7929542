package io.cellpipe.testing;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.OptionalLong;

/** Updates and deletes of single rows picked at random among the live ones; a no-op while a table has none. */
final class RowChanges {
    private static final List<String> STATES = List.of("merged", "merged", "closed", "locked", "opened");

    private final WorkloadState state;
    private final DemoValues values;

    RowChanges(WorkloadState state) {
        this.state = state;
        this.values = state.values;
    }

    /** Moves a merge request to another state, as a review would; merged ones get a commit and a merge time. */
    void updateMergeRequest() throws SQLException {
        OptionalLong id = state.mergeRequests.pick(state.random);
        if (id.isEmpty()) {
            return;
        }
        String newState = values.oneOf(STATES);
        boolean merged = newState.equals("merged");
        OffsetDateTime now = state.now();
        try (PreparedStatement update = state.connection.prepareStatement("""
                UPDATE merge_requests
                SET state = ?::merge_request_state, merge_commit_sha = ?, merged_at = ?, weight = ?::numeric,
                    title = coalesce(?, title), updated_at = ?
                WHERE id = ?""")) {
            update.setString(1, newState);
            update.setBytes(2, merged ? values.commitSha() : null);
            update.setObject(3, merged ? now : null, Types.TIMESTAMP_WITH_TIMEZONE);
            update.setString(4, values.weight());
            update.setString(5, values.chance(20) ? values.mergeRequestTitle() : null);
            update.setObject(6, now);
            update.setLong(7, id.getAsLong());
            state.counters.updated(update.executeUpdate());
        }
    }

    /** Touches only small columns: a TOASTed description stays unchanged, and logical decoding omits it. */
    void starProject() throws SQLException {
        OptionalLong id = state.projects.pick(state.random);
        if (id.isEmpty()) {
            return;
        }
        try (PreparedStatement update = state.connection.prepareStatement(
                "UPDATE projects SET star_count = ?, updated_at = ? WHERE id = ?")) {
            update.setObject(1, values.starCount(), Types.INTEGER);
            update.setObject(2, state.now());
            update.setLong(3, id.getAsLong());
            state.counters.updated(update.executeUpdate());
        }
    }

    void describeProject() throws SQLException {
        OptionalLong id = state.projects.pick(state.random);
        if (id.isEmpty()) {
            return;
        }
        try (PreparedStatement update = state.connection.prepareStatement(
                "UPDATE projects SET description = ?, visibility_level = ?, updated_at = ? WHERE id = ?")) {
            update.setString(1, values.projectDescription());
            update.setShort(2, values.visibilityLevel());
            update.setObject(3, state.now());
            update.setLong(4, id.getAsLong());
            state.counters.updated(update.executeUpdate());
        }
    }

    void signInUser() throws SQLException {
        OptionalLong id = state.users.pick(state.random);
        if (id.isEmpty()) {
            return;
        }
        try (PreparedStatement update = state.connection.prepareStatement("""
                UPDATE users SET last_sign_in_ip = ?::inet, preferences = coalesce(?::jsonb, preferences), updated_at = ?
                WHERE id = ?""")) {
            update.setString(1, values.ipAddress());
            update.setString(2, values.chance(30) ? values.preferences() : null);
            update.setObject(3, state.now());
            update.setLong(4, id.getAsLong());
            state.counters.updated(update.executeUpdate());
        }
    }

    void changeApplicationSettings() throws SQLException {
        OptionalLong id = state.applicationSettings.pick(state.random);
        if (id.isEmpty()) {
            return;
        }
        try (PreparedStatement update = state.connection.prepareStatement("""
                UPDATE application_settings
                SET signup_enabled = NOT coalesce(signup_enabled, false), settings = ?::jsonb, updated_at = ?
                WHERE id = ?""")) {
            update.setString(1, values.preferences());
            update.setObject(2, state.now());
            update.setLong(3, id.getAsLong());
            state.counters.updated(update.executeUpdate());
        }
    }

    void renamePlan() throws SQLException {
        OptionalLong id = state.plans.pick(state.random);
        if (id.isEmpty()) {
            return;
        }
        try (PreparedStatement update = state.connection.prepareStatement("UPDATE plans SET title = ? WHERE id = ?")) {
            update.setString(1, values.chance(20) ? null : values.sentence());
            update.setLong(2, id.getAsLong());
            state.counters.updated(update.executeUpdate());
        }
    }

    void deleteMergeRequest() throws SQLException {
        delete("merge_requests", state.mergeRequests.take(state.random));
    }

    /** Deletes by id alone, so PostgreSQL searches every partition of ci_builds. */
    void deleteBuild() throws SQLException {
        delete("ci_builds", state.builds.take(state.random));
    }

    /** The user's merge requests keep their rows, with author_id set to NULL by the foreign key. */
    void deleteUser() throws SQLException {
        delete("users", state.users.take(state.random));
    }

    private void delete(String table, OptionalLong id) throws SQLException {
        if (id.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = state.connection.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            delete.setLong(1, id.getAsLong());
            state.counters.deleted(delete.executeUpdate());
        }
    }
}
