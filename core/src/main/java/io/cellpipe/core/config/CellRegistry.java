package io.cellpipe.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the cells of a registry file in the Topology Service's format:
 *
 * <pre>
 * [[cells]]
 * id = 1
 * address = "cell-1.example.com"
 * [[cells.sequence_ranges]]
 * minval = 1
 * maxval = 999999999999
 * </pre>
 *
 * Other keys of a cell are the Topology Service's and are ignored; a range must have both bounds.
 */
public final class CellRegistry {
    /** A host name, an IPv4 address or a bracketed IPv6 address, optionally with a port: nothing that can change the URL's shape. */
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?");

    private CellRegistry() {
    }

    /** @throws ConfigException naming the file and the entry, for anything unreadable or inconsistent */
    public static List<CellConfig> read(RegistryConfig registry) {
        String text;
        try {
            text = Files.readString(registry.file());
        } catch (NoSuchFileException e) {
            throw new ConfigException("cell registry " + registry.file() + " does not exist (cells.registry)");
        } catch (IOException e) {
            throw new ConfigException("cannot read cell registry " + registry.file() + ": " + e.getMessage(), e);
        }
        return parse(registry, text);
    }

    public static List<CellConfig> parse(RegistryConfig registry, String toml) {
        String where = "cell registry " + registry.file();
        JsonNode root;
        try {
            root = new TomlMapper().readTree(toml);
        } catch (IOException e) {
            throw new ConfigException(where + " is not valid TOML: " + firstLine(e.getMessage()), e);
        }
        JsonNode entries = root == null ? null : root.get("cells");
        if (entries == null) {
            return List.of();
        }
        if (!entries.isArray()) {
            throw new ConfigException(where + ": cells must be an array of tables ([[cells]])");
        }
        List<CellConfig> cells = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            cells.add(cell(registry, where + ": cells[" + i + "]", entries.get(i)));
        }
        try {
            CellConfig.checkDistinct(cells);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
        return cells;
    }

    private static CellConfig cell(RegistryConfig registry, String where, JsonNode entry) {
        JsonNode id = entry.get("id");
        if (id == null || !(id.isIntegralNumber() || id.isTextual()) || id.asText().isBlank()) {
            throw new ConfigException(where + ": id is required (a number or a string)");
        }
        where = where + " (id " + id.asText() + ")";
        JsonNode address = entry.get("address");
        if (address == null || !address.isTextual() || !ADDRESS.matcher(address.asText()).matches()) {
            throw new ConfigException(where + ": address must be a host name or IP address with an optional :port, not "
                    + (address == null ? "missing" : "'" + address.asText() + "'"));
        }
        List<SequenceRange> ranges = new ArrayList<>();
        JsonNode rangeEntries = entry.get("sequence_ranges");
        if (rangeEntries != null) {
            if (!rangeEntries.isArray()) {
                throw new ConfigException(where + ": sequence_ranges must be an array of tables ([[cells.sequence_ranges]])");
            }
            for (JsonNode range : rangeEntries) {
                ranges.add(range(where, range));
            }
        }
        String url = registry.dsn().replace("{id}", id.asText()).replace("{address}", address.asText());
        try {
            return new CellConfig(id.asText(), url, ranges, registry.slot().map(template -> template.replace("{id}", id.asText())));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    private static SequenceRange range(String where, JsonNode range) {
        JsonNode min = range.get("minval");
        JsonNode max = range.get("maxval");
        if (min == null || max == null || !min.isIntegralNumber() || !max.isIntegralNumber() || !min.canConvertToLong()
                || !max.canConvertToLong()) {
            throw new ConfigException(where + ": every sequence range needs integer minval and maxval");
        }
        try {
            return new SequenceRange(min.asLong(), max.asLong());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
