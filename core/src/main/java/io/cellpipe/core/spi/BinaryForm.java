package io.cellpipe.core.spi;

import io.cellpipe.core.model.ColumnType;
import java.util.regex.Pattern;

/**
 * How a value of one column travels in a snapshot copied in PostgreSQL's binary {@code COPY}
 * format ({@link SnapshotLoad#binary}): in the type's own binary form for the common built-in
 * types, which PostgreSQL writes and a destination reads without formatting or parsing text, and
 * as the value's text for every other type. Both sides derive a column's form from its {@link
 * ColumnType} alone, so they agree without telling each other.
 */
public enum BinaryForm {
    /** One byte, 0 or 1. */
    BOOLEAN,
    /** Two bytes, big-endian. */
    INT16,
    /** Four bytes, big-endian. */
    INT32,
    /** Eight bytes, big-endian. */
    INT64,
    /** An IEEE 754 single, big-endian. */
    FLOAT32,
    /** An IEEE 754 double, big-endian. */
    FLOAT64,
    /** {@code numeric}'s form: digit count, weight, sign and display scale (16 bits each), then base-10000 digits. */
    NUMERIC,
    /** Sixteen bytes, most significant first. */
    UUID,
    /** Days since 2000-01-01, four bytes; the largest and smallest values stand for {@code infinity} and {@code -infinity}. */
    DATE,
    /** Microseconds since 2000-01-01 00:00 (UTC for {@code timestamptz}), eight bytes; extremes stand for the infinities. */
    TIMESTAMP,
    /** The bytes themselves. */
    BYTES,
    /** A version byte (1), then the text. */
    JSONB,
    /** The value's text, UTF-8, exactly as the type's output function writes it (as in text or CSV {@code COPY}). */
    TEXT;

    /** {@code varchar} and {@code char}, with or without a length, as PostgreSQL names them. */
    private static final Pattern SCALAR_CHARACTER = Pattern.compile("character( varying)?(\\(\\d+\\))?");

    /** The form of a column of {@code type}: a built-in type's own binary form only under its own name, not a domain's or a policy's. */
    public static BinaryForm of(ColumnType type) {
        String name = type.sourceType();
        BinaryForm form = switch (type.kind()) {
            case BOOLEAN -> name.equals("boolean") ? BOOLEAN : null;
            case INT16 -> name.equals("smallint") ? INT16 : null;
            case INT32 -> name.equals("integer") ? INT32 : null;
            case INT64 -> name.equals("bigint") ? INT64 : null;
            case FLOAT32 -> name.equals("real") ? FLOAT32 : null;
            case FLOAT64 -> name.equals("double precision") ? FLOAT64 : null;
            case DECIMAL -> name.startsWith("numeric(") ? NUMERIC : null;
            case UUID -> name.equals("uuid") ? UUID : null;
            case DATE -> name.equals("date") ? DATE : null;
            case TIMESTAMP -> name.equals("timestamp without time zone") ? TIMESTAMP : null;
            case TIMESTAMPTZ -> name.equals("timestamp with time zone") ? TIMESTAMP : null;
            case BYTES -> name.equals("bytea") ? BYTES : null;
            case JSON -> name.equals("jsonb") ? JSONB : null;
            default -> null;
        };
        return form == null ? TEXT : form;
    }

    /**
     * Whether PostgreSQL's binary form of {@code type} is already the text its output function
     * writes ({@code text}, {@code varchar}, {@code char(n)} with its padding, {@code name}, {@code
     * json}), so a source selects the column as it is rather than asking for its text.
     */
    public static boolean binaryIsText(ColumnType type) {
        String name = type.sourceType();
        return switch (type.kind()) {
            // exactly these names: an array of them (character varying[]) is sent as an array, not as text
            case TEXT -> name.equals("text") || name.equals("name") || SCALAR_CHARACTER.matcher(name).matches();
            case JSON -> name.equals("json");
            default -> false;
        };
    }
}
