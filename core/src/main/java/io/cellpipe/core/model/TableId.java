package io.cellpipe.core.model;

import static java.util.Objects.requireNonNull;

/** A table by schema and name, as PostgreSQL knows it (unquoted, case preserved). */
public record TableId(String schema, String name) implements Comparable<TableId> {
    public TableId {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        if (schema.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("table schema and name must not be empty: " + schema + "." + name);
        }
    }

    /** Parses {@code schema.table}; a name without a dot is in {@code public}. */
    public static TableId parse(String qualified) {
        requireNonNull(qualified, "qualified is null");
        int dot = qualified.indexOf('.');
        return dot < 0 ? new TableId("public", qualified) : new TableId(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    public String qualified() {
        return schema + "." + name;
    }

    /** Quoted for SQL, in PostgreSQL and DuckDB alike. */
    public String quoted() {
        return quote(schema) + "." + quote(name);
    }

    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public int compareTo(TableId other) {
        int bySchema = schema.compareTo(other.schema);
        return bySchema != 0 ? bySchema : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return qualified();
    }
}
