package io.cellpipe.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict view of one mapping in a configuration file. Every key read is remembered;
 * {@link #finish} rejects the keys nobody read, with the closest known key as a suggestion.
 * Strings may reference environment variables as {@code ${NAME}}; an unset variable is an error.
 */
public final class ConfigSection {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|KiB|MiB|GiB)?", Pattern.CASE_INSENSITIVE);

    private final String file;
    private final String path;
    /** The path reported to {@code keysRead}: {@link #path} with a data key replaced by its placeholder. */
    private final String reportedPath;
    private final JsonNode node;
    private final Function<String, String> environment;
    private final Set<String> known = new LinkedHashSet<>();
    private final Consumer<String> keysRead;

    public ConfigSection(String file, String path, JsonNode node, Function<String, String> environment) {
        this(file, path, node, environment, key -> { });
    }

    /**
     * @param keysRead told the full name of every key the code reads ({@code cells[].id}), present
     *     or not; this is how docs/configuration.md is checked against the code
     */
    public ConfigSection(String file, String path, JsonNode node, Function<String, String> environment, Consumer<String> keysRead) {
        this(file, path, path, node, environment, keysRead);
    }

    private ConfigSection(String file, String path, String reportedPath, JsonNode node, Function<String, String> environment,
            Consumer<String> keysRead) {
        this.keysRead = keysRead;
        this.file = file;
        this.path = path;
        this.reportedPath = reportedPath;
        this.node = node == null || node.isNull() || node.isMissingNode() ? null : node;
        this.environment = environment;
        if (this.node != null && !this.node.isObject()) {
            throw error(path.isEmpty() ? "the file" : path, "must be a mapping of keys to values");
        }
    }

    public String file() {
        return file;
    }

    public boolean has(String key) {
        if (known.add(key)) {
            keysRead.accept(reported(key));
        }
        return node != null && node.has(key) && !node.get(key).isNull();
    }

    public String string(String key) {
        String value = optionalString(key, null);
        if (value == null) {
            throw error(key, "is required");
        }
        return value;
    }

    public String optionalString(String key, String defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonNode value = node.get(key);
        if (!value.isValueNode()) {
            throw error(key, "must be a single value, not a " + value.getNodeType().name().toLowerCase());
        }
        return substitute(key, value.asText());
    }

    public boolean bool(String key, boolean defaultValue) {
        String value = optionalString(key, null);
        if (value == null) {
            return defaultValue;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(key, "must be true or false, not '" + value + "'");
        };
    }

    public int integer(String key, int defaultValue, int min, int max) {
        String value = optionalString(key, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw error(key, "must be between " + min + " and " + max + ", not " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw error(key, "must be a whole number, not '" + value + "'");
        }
    }

    /** A required whole number in the range of {@code long}. */
    public long longInteger(String key) {
        String value = string(key);
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw error(key, "must be a whole number, not '" + value + "'");
        }
    }

    /** A share written as {@code 0.9} or {@code 90%}. */
    public double fraction(String key, double defaultValue) {
        String value = optionalString(key, null);
        if (value == null) {
            return defaultValue;
        }
        String text = value.trim();
        try {
            return text.endsWith("%") ? Double.parseDouble(text.substring(0, text.length() - 1).trim()) / 100 : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw error(key, "must be a share such as 0.9 or 90%, not '" + value + "'");
        }
    }

    /** Whether the key holds a mapping (rather than a list or a value); reads nothing. */
    public boolean isMapping(String key) {
        return node != null && node.has(key) && node.get(key).isObject();
    }

    public Duration duration(String key, Duration defaultValue) {
        String value = optionalString(key, null);
        if (value == null) {
            return defaultValue;
        }
        return Durations.parse(value)
                .orElseThrow(() -> error(key, "must be a duration such as " + Durations.EXAMPLES + ", not '" + value + "'"));
    }

    public long bytes(String key, long defaultValue) {
        String value = optionalString(key, null);
        if (value == null) {
            return defaultValue;
        }
        Matcher matcher = SIZE.matcher(value.trim());
        if (!matcher.matches()) {
            throw error(key, "must be a size such as 64MB or 1GiB, not '" + value + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase();
        return amount * switch (unit) {
            case "KB", "KIB" -> 1024L;
            case "MB", "MIB" -> 1024L * 1024;
            case "GB", "GIB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
    }

    public List<String> strings(String key, List<String> defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonNode value = node.get(key);
        if (!value.isArray()) {
            throw error(key, "must be a list, e.g. [\"public.*\"]");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isValueNode()) {
                throw error(key, "must be a list of strings");
            }
            result.add(substitute(key, item.asText()));
        }
        return result;
    }

    /**
     * A mapping whose keys are data, not names the code knows ({@code privacy.columns}): each value
     * a single string, variables substituted. Reported as {@code key.<placeholder>}, e.g.
     * {@code privacy.columns.<pattern>}.
     */
    public java.util.LinkedHashMap<String, String> stringMap(String key, String placeholder) {
        boolean present = has(key);
        keysRead.accept(reported(key) + ".<" + placeholder + ">");
        java.util.LinkedHashMap<String, String> result = new java.util.LinkedHashMap<>();
        if (!present) {
            return result;
        }
        JsonNode value = node.get(key);
        if (!value.isObject()) {
            throw error(key, "must be a mapping of " + placeholder + " to value");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = key + ".\"" + field.getKey() + "\"";
            if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                throw error(name, "must be a single value");
            }
            result.put(field.getKey(), substitute(name, field.getValue().asText()));
        }
        return result;
    }

    /**
     * A mapping whose keys are data ({@code privacy.row_filters}) and whose values are mappings, in
     * file order. Each section reports its keys as {@code key.<placeholder>.name}.
     */
    public java.util.LinkedHashMap<String, ConfigSection> sectionMap(String key, String placeholder) {
        boolean present = has(key);
        java.util.LinkedHashMap<String, ConfigSection> result = new java.util.LinkedHashMap<>();
        if (!present) {
            return result;
        }
        JsonNode value = node.get(key);
        if (!value.isObject()) {
            throw error(key, "must be a mapping of " + placeholder + " to settings");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            result.put(field.getKey(), new ConfigSection(file, child(key) + ".\"" + field.getKey() + "\"", reported(key) + ".<" + placeholder + ">",
                    field.getValue(), environment, keysRead));
        }
        return result;
    }

    public ConfigSection section(String key) {
        has(key);
        return new ConfigSection(file, child(key), reported(key), node == null ? null : node.get(key), environment, keysRead);
    }

    public List<ConfigSection> sections(String key) {
        if (!has(key)) {
            return List.of();
        }
        JsonNode value = node.get(key);
        if (!value.isArray()) {
            throw error(key, "must be a list");
        }
        List<ConfigSection> result = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            result.add(new ConfigSection(file, child(key) + "[" + i + "]", reported(key) + "[]", value.get(i), environment, keysRead));
        }
        return result;
    }

    /** The keys present in this mapping, in file order. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        if (node != null) {
            node.fieldNames().forEachRemaining(keys::add);
        }
        return keys;
    }

    public boolean present() {
        return node != null;
    }

    /** Rejects any key that was not read. */
    public void finish() {
        if (node == null) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            String key = fields.next().getKey();
            if (!known.contains(key)) {
                String suggestion = closest(key);
                throw new ConfigException(file + ": unknown key '" + child(key) + "'"
                        + (suggestion == null ? "" : "; did you mean '" + child(suggestion) + "'?")
                        + " Known keys here: " + String.join(", ", known));
            }
        }
    }

    public ConfigException error(String key, String problem) {
        return new ConfigException(file + ": " + child(key) + " " + problem);
    }

    private String reported(String key) {
        return (reportedPath.isEmpty() ? key : reportedPath + "." + key).replaceAll("\\[\\d+]", "[]");
    }

    private String child(String key) {
        if (key.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * A connection URL: like {@link #string}, but a variable in the query ({@code ?password=${PASSWORD}})
     * is percent-encoded, so a secret holding {@code %}, {@code &} or {@code #} stays one parameter
     * value (the driver decodes it) instead of breaking the URL, or putting it into an error message.
     */
    public String url(String key) {
        if (!has(key)) {
            throw error(key, "is required");
        }
        JsonNode value = node.get(key);
        if (!value.isTextual()) {
            throw error(key, "must be a string");
        }
        return substitute(key, value.asText(), true);
    }

    private String substitute(String key, String value) {
        return substitute(key, value, false);
    }

    private String substitute(String key, String value, boolean url) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        int query = url ? value.indexOf('?') : -1;
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement = environment.apply(name);
            if (replacement == null) {
                throw error(key, "refers to environment variable " + name + ", which is not set; export it before starting");
            }
            if (query >= 0 && matcher.start() > query) {
                replacement = java.net.URLEncoder.encode(replacement, java.nio.charset.StandardCharsets.UTF_8);
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private String closest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(key, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
