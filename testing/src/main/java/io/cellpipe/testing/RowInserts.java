package io.cellpipe.testing;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Inserts one realistic row into a demo table and records its id; parents are created when none exist yet. */
final class RowInserts {
    private static final DateTimeFormatter MIGRATION_VERSION = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final WorkloadState state;
    private final DemoValues values;

    RowInserts(WorkloadState state) {
        this.state = state;
        this.values = state.values;
    }

    long namespace() throws SQLException {
        OffsetDateTime now = state.now();
        String name = values.namespaceName();
        Long parent = values.chance(30) && !state.namespaces.isEmpty() ? state.namespaces.pick(state.random).getAsLong() : null;
        try (PreparedStatement insert = state.connection.prepareStatement("""
                INSERT INTO namespaces (name, path, parent_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?) RETURNING id""")) {
            insert.setString(1, name);
            insert.setString(2, name.toLowerCase(Locale.ROOT).replace(' ', '-'));
            insert.setObject(3, parent, Types.BIGINT);
            insert.setObject(4, now);
            insert.setObject(5, now);
            long id = state.insertReturningId(insert);
            state.namespaces.add(id);
            return id;
        }
    }

    /** The e-mail address and username embed the id, drawn here from the identity sequence, so they are unique. */
    long user() throws SQLException {
        OffsetDateTime now = state.now();
        try (PreparedStatement insert = state.connection.prepareStatement("""
                INSERT INTO users (id, email, name, username, last_sign_in_ip, encrypted_password, admin, preferences,
                                   created_at, updated_at)
                SELECT n, lower(?) || '.' || n || '@example.com', ?, ? || n, ?::inet, ?, ?, ?::jsonb, ?, ?
                FROM (SELECT nextval(pg_get_serial_sequence('users', 'id')) AS n) AS next
                RETURNING id""")) {
            String handle = values.handle();
            insert.setString(1, handle);
            insert.setString(2, values.chance(10) ? null : values.personName());
            insert.setString(3, handle);
            insert.setString(4, values.ipAddress());
            insert.setString(5, values.encryptedPassword());
            insert.setBoolean(6, values.chance(5));
            insert.setString(7, values.preferences());
            insert.setObject(8, now);
            insert.setObject(9, now);
            long id = state.insertReturningId(insert);
            state.users.add(id);
            return id;
        }
    }

    long project() throws SQLException {
        long namespace = anyNamespace();
        OffsetDateTime now = state.now();
        try (PreparedStatement insert = state.connection.prepareStatement("""
                INSERT INTO projects (namespace_id, name, description, visibility_level, star_count, tags,
                                      created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")) {
            insert.setLong(1, namespace);
            insert.setString(2, values.projectName());
            insert.setString(3, values.projectDescription());
            insert.setShort(4, values.visibilityLevel());
            insert.setObject(5, values.starCount(), Types.INTEGER);
            insert.setArray(6, textArray(values.tags()));
            insert.setObject(7, now);
            insert.setObject(8, now);
            long id = state.insertReturningId(insert);
            state.projects.add(id);
            return id;
        }
    }

    long mergeRequest() throws SQLException {
        long project = anyProject();
        Long author = values.chance(5) ? null : anyUser();
        OffsetDateTime now = state.now();
        try (PreparedStatement insert = state.connection.prepareStatement("""
                INSERT INTO merge_requests (project_id, author_id, title, state, labels, time_estimate, weight, price,
                                            external_id, due_date, created_at, updated_at)
                VALUES (?, ?, ?, 'opened', ?, ?::interval, ?::numeric, ?, ?, ?::date, ?, ?) RETURNING id""")) {
            insert.setLong(1, project);
            insert.setObject(2, author, Types.BIGINT);
            insert.setString(3, values.mergeRequestTitle());
            insert.setArray(4, integerArray(values.labels()));
            insert.setString(5, values.timeEstimate());
            insert.setString(6, values.weight());
            insert.setBigDecimal(7, values.price());
            insert.setObject(8, values.chance(20) ? null : values.uuid());
            insert.setString(9, values.dueDate(now));
            insert.setObject(10, now);
            insert.setObject(11, now);
            long id = state.insertReturningId(insert);
            state.mergeRequests.add(id);
            return id;
        }
    }

    long build() throws SQLException {
        return build(anyProject());
    }

    long build(long project) throws SQLException {
        OffsetDateTime createdAt = values.buildCreatedAt();
        String status = values.buildStatus();
        boolean started = !status.equals("pending") && !status.equals("skipped");
        boolean finished = started && !status.equals("running");
        Double duration = finished ? values.buildDuration() : null;
        try (PreparedStatement insert = state.connection.prepareStatement("""
                INSERT INTO ci_builds (project_id, status, duration, started_at, finished_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING id""")) {
            insert.setLong(1, project);
            insert.setString(2, status);
            insert.setObject(3, duration, Types.DOUBLE);
            insert.setObject(4, started ? createdAt.plusSeconds(values.between(1, 600)).toLocalDateTime() : null, Types.TIMESTAMP);
            insert.setObject(5, finished ? createdAt.plusSeconds(values.between(600, 7200)) : null,
                    Types.TIMESTAMP_WITH_TIMEZONE);
            insert.setObject(6, createdAt);
            long id = state.insertReturningId(insert);
            state.builds.add(id);
            return id;
        }
    }

    long plan() throws SQLException {
        try (PreparedStatement insert = state.connection.prepareStatement(
                "INSERT INTO plans (name, title) VALUES (?, ?) RETURNING id")) {
            String name = values.planName();
            insert.setString(1, name);
            insert.setString(2, values.chance(20) ? null : name.toUpperCase(Locale.ROOT) + " plan");
            long id = state.insertReturningId(insert);
            state.plans.add(id);
            return id;
        }
    }

    long applicationSettings() throws SQLException {
        try (PreparedStatement insert = state.connection.prepareStatement("""
                INSERT INTO application_settings (signup_enabled, default_project_visibility, settings, updated_at)
                VALUES (?, ?, ?::jsonb, ?) RETURNING id""")) {
            insert.setObject(1, values.chance(10) ? null : values.chance(50), Types.BOOLEAN);
            insert.setInt(2, values.visibilityLevel());
            insert.setString(3, values.preferences());
            insert.setObject(4, state.now());
            long id = state.insertReturningId(insert);
            state.applicationSettings.add(id);
            return id;
        }
    }

    /** Versions come from the simulated clock, which never repeats; a rerun on the same cell skips existing ones. */
    void schemaMigration() throws SQLException {
        try (PreparedStatement insert = state.connection.prepareStatement(
                "INSERT INTO schema_migrations (version) VALUES (?) ON CONFLICT (version) DO NOTHING")) {
            insert.setString(1, MIGRATION_VERSION.format(state.now()));
            state.counters.inserted(insert.executeUpdate());
        }
    }

    long anyNamespace() throws SQLException {
        return state.namespaces.isEmpty() ? namespace() : state.namespaces.pick(state.random).getAsLong();
    }

    long anyProject() throws SQLException {
        return state.projects.isEmpty() ? project() : state.projects.pick(state.random).getAsLong();
    }

    long anyUser() throws SQLException {
        return state.users.isEmpty() ? user() : state.users.pick(state.random).getAsLong();
    }

    private Array textArray(String[] elements) throws SQLException {
        return elements == null ? null : state.connection.createArrayOf("text", elements);
    }

    private Array integerArray(Integer[] elements) throws SQLException {
        return elements == null ? null : state.connection.createArrayOf("int4", elements);
    }
}
