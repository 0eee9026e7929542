package io.cellpipe.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Which rows of a table a resync re-reads: those whose key lies between two bounds, both inclusive.
 * A bound is a list of key values as text, compared with the first as many key columns in key order
 * (so {@code [7]} on a key {@code (namespace_id, id)} means every row of namespace 7 and on). Bounds are
 * values, never SQL: each side binds them as parameters or quotes them as literals of the key columns' types.
 *
 * @param from the lowest key included, or null for no lower bound
 * @param to the highest key included, or null for no upper bound
 */
public record KeyRange(List<String> from, List<String> to) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public KeyRange {
        from = bound(from, "from");
        to = bound(to, "to");
        if (from == null && to == null) {
            throw new IllegalArgumentException("a key range needs a lower bound, an upper bound or both");
        }
    }

    private static List<String> bound(List<String> bound, String name) {
        if (bound == null) {
            return null;
        }
        if (bound.isEmpty()) {
            throw new IllegalArgumentException("the key range's " + name + " bound names no value");
        }
        for (String value : bound) {
            if (value == null) {
                throw new IllegalArgumentException("the key range's " + name + " bound holds a null; keys are never null");
            }
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("the key range's " + name + " bound holds a NUL character, which no PostgreSQL key can");
            }
        }
        return List.copyOf(bound);
    }

    /** The number of key columns the range constrains: the longer bound's length. */
    public int width() {
        return Math.max(from == null ? 0 : from.size(), to == null ? 0 : to.size());
    }

    /**
     * A bound as written on the command line: a JSON array of values, one per leading key column
     * ({@code [7, 1000]}), or a single value for the first key column ({@code 1000}); null for null.
     */
    public static List<String> parseBound(String text) {
        if (text == null) {
            return null;
        }
        String trimmed = text.strip();
        if (!trimmed.startsWith("[")) {
            return List.of(trimmed);
        }
        try {
            return values(JSON.readTree(trimmed), "'" + text + "'");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("'" + text + "' is not a key: write one value, or a JSON array of values such as [7, 1000]");
        }
    }

    /** The range as JSON, {@code {"from_key": [...], "to_key": [...]}}, the form it is stored and sent in. */
    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        writeTo(node);
        return node.toString();
    }

    /** Puts the bounds into {@code node} as {@code from_key} and {@code to_key}, arrays of text values. */
    public void writeTo(ObjectNode node) {
        putBound(node, "from_key", from);
        putBound(node, "to_key", to);
    }

    /** The range {@link #toJson} wrote, or null for null. */
    public static KeyRange fromJson(String json) {
        if (json == null) {
            return null;
        }
        try {
            return readFrom(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("'" + json + "' is not a key range");
        }
    }

    /** The range in {@code node}'s {@code from_key} and {@code to_key} (arrays of numbers or strings), or null when both are absent. */
    public static KeyRange readFrom(JsonNode node) {
        List<String> from = bound(node, "from_key");
        List<String> to = bound(node, "to_key");
        return from == null && to == null ? null : new KeyRange(from, to);
    }

    private static List<String> bound(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : values(value, field);
    }

    private static List<String> values(JsonNode array, String source) {
        if (!array.isArray()) {
            throw new IllegalArgumentException(source + " is not a key: a bound is a JSON array of values such as [7, 1000]");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode value : array) {
            if (!value.isValueNode() || value.isNull()) {
                throw new IllegalArgumentException(source + " is not a key: its values must be numbers or strings");
            }
            values.add(value.asText());
        }
        return values;
    }

    private static void putBound(ObjectNode node, String field, List<String> bound) {
        if (bound != null) {
            ArrayNode values = node.putArray(field);
            bound.forEach(values::add);
        }
    }

    @Override
    public String toString() {
        return "key " + (from == null ? "" : "from " + from) + (from != null && to != null ? " " : "") + (to == null ? "" : "to " + to);
    }
}
