package io.cellpipe.core.model;

/** The kind of a change, with the one-letter code landed in {@code _op}. */
public enum Operation {
    /** A row copied by a snapshot or backfill. */
    READ("r"),
    INSERT("c"),
    UPDATE("u"),
    DELETE("d"),
    TRUNCATE("t");

    private final String code;

    Operation(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
