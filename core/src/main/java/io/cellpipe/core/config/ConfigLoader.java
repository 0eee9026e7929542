package io.cellpipe.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.privacy.ColumnPattern;
import io.cellpipe.core.privacy.ColumnPolicy;
import io.cellpipe.core.privacy.HashKey;
import io.cellpipe.core.privacy.Normalization;
import io.cellpipe.core.privacy.RowFilter;
import io.cellpipe.core.privacy.ValuesFile;
import io.cellpipe.core.model.TableId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/** Reads cellpipe.yml strictly: unknown keys, bad values and unset variables stop start-up with the key named. */
public final class ConfigLoader {
    private final Function<String, String> environment;
    private final Consumer<String> keysRead;

    public ConfigLoader(Function<String, String> environment) {
        this(environment, key -> { });
    }

    /** A loader that reports every key it reads; see {@link ConfigSection}. */
    public ConfigLoader(Function<String, String> environment, Consumer<String> keysRead) {
        this.environment = environment;
        this.keysRead = keysRead;
    }

    public PipelineConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file " + file + " does not exist; see docs/configuration.md for an example");
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        return parse(file.toString(), text);
    }

    public PipelineConfig parse(String fileName, String yaml) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException(fileName + " is not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigException(fileName + " is empty; see docs/configuration.md for an example");
        }
        ConfigSection top = new ConfigSection(fileName, "", root, environment, keysRead);
        try {
            Optional<RegistryConfig> registry = registry(fileName, top);
            List<CellConfig> cells = registry.isPresent() ? CellRegistry.read(registry.get()) : cells(top);
            PipelineConfig config = new PipelineConfig(top.string("pipeline"), cells, tables(top.section("tables")),
                    destination(top.section("destination")), capture(top.section("capture")),
                    privacy(top.section("privacy")), monitoring(top.section("monitoring")), slo(top.section("slo")),
                    alerts(top.section("alerts")), logging(top.section("logging")), registry,
                    identity(top.section("identity")), clusterwide(top.section("clusterwide")),
                    SlotConfig.read(top.section("slot")));
            top.finish();
            return config;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(fileName + ": " + e.getMessage(), e);
        }
    }

    private static List<CellConfig> cells(ConfigSection top) {
        List<CellConfig> cells = new ArrayList<>();
        for (ConfigSection cell : top.sections("cells")) {
            List<SequenceRange> ranges = new ArrayList<>();
            for (ConfigSection range : cell.sections("sequence_ranges")) {
                ranges.add(new SequenceRange(range.longInteger("minval"), range.longInteger("maxval")));
                range.finish();
            }
            cells.add(new CellConfig(cell.string("id"), cell.url("url"), ranges, Optional.ofNullable(cell.optionalString("slot", null))));
            cell.finish();
        }
        return cells;
    }

    /**
     * {@code cells} as a mapping names a registry file (relative to the configuration file) and the
     * DSN template; as a list it is the cells themselves.
     */
    private static Optional<RegistryConfig> registry(String fileName, ConfigSection top) {
        if (!top.isMapping("cells")) {
            return Optional.empty();
        }
        ConfigSection section = top.section("cells");
        Path file = Path.of(section.string("registry"));
        Path configDirectory = Path.of(fileName).toAbsolutePath().getParent();
        if (!file.isAbsolute() && configDirectory != null) {
            file = configDirectory.resolve(file).normalize();
        }
        String onRemove = section.optionalString("on_remove", "keep_slot");
        if (!onRemove.equals("keep_slot") && !onRemove.equals("drop_slot")) {
            throw section.error("on_remove", "must be keep_slot or drop_slot, not '" + onRemove + "'");
        }
        RegistryConfig registry = new RegistryConfig(file, section.url("dsn"), Optional.ofNullable(section.optionalString("slot", null)),
                section.duration("watch_interval", Duration.ofSeconds(2)), onRemove.equals("drop_slot"));
        section.finish();
        return Optional.of(registry);
    }

    private static IdentityConfig identity(ConfigSection section) {
        IdentityConfig defaults = IdentityConfig.defaults();
        IdentityConfig identity = new IdentityConfig(tableIds(section, "globally_unique"),
                section.fraction("saturation_alert", defaults.saturationThreshold()), section.duration("check_interval", defaults.checkInterval()));
        section.finish();
        return identity;
    }

    private static ClusterwideConfig clusterwide(ConfigSection section) {
        ClusterwideConfig clusterwide = new ClusterwideConfig(tableIds(section, "static"), tableIds(section, "settings"));
        section.finish();
        return clusterwide;
    }

    private static List<TableId> tableIds(ConfigSection section, String key) {
        List<TableId> tables = new ArrayList<>();
        for (String name : section.strings(key, List.of())) {
            if (name.contains("*") || name.chars().filter(c -> c == '.').count() != 1) {
                throw section.error(key, "must list tables as schema.table without wildcards, not '" + name + "'");
            }
            tables.add(TableId.parse(name));
        }
        return tables;
    }

    private static TableSelection tables(ConfigSection section) {
        TableSelection selection = new TableSelection(section.strings("include", List.of("public.*")), section.strings("exclude", List.of()));
        section.finish();
        return selection;
    }

    private static DestinationConfig destination(ConfigSection section) {
        List<String> types = section.keys();
        if (types.size() != 1) {
            throw section.error("", "must name exactly one destination, e.g. destination: { duckdb: { path: ./warehouse.duckdb } }"
                    + (types.isEmpty() ? "" : "; found " + String.join(", ", types)));
        }
        String type = types.get(0);
        return new DestinationConfig(type, section.section(type));
    }

    private static Optional<MonitoringConfig> monitoring(ConfigSection section) {
        if (!section.present()) {
            return Optional.empty();
        }
        String listen = section.optionalString("listen", null);
        String token = section.optionalString("admin_token", null);
        section.finish(); // a misspelt key is reported as such, not as a missing listen
        if (listen == null) {
            throw section.error("listen", "is required when monitoring is present, e.g. listen: 127.0.0.1:9187");
        }
        MonitoringConfig monitoring = MonitoringConfig.parse(listen);
        if (token == null) {
            return Optional.of(monitoring);
        }
        try {
            return Optional.of(monitoring.withAdminToken(token));
        } catch (IllegalArgumentException e) {
            throw section.error("admin_token", "must be at least " + MonitoringConfig.MIN_TOKEN_BYTES
                    + " bytes long; set it from a variable, e.g. admin_token: ${CELLPIPE_ADMIN_TOKEN} with a value from `openssl rand -hex 32`");
        }
    }

    private static SloConfig slo(ConfigSection section) {
        SloConfig slo = new SloConfig(section.duration("freshness", SloConfig.DEFAULT_FRESHNESS));
        section.finish();
        return slo;
    }

    private static AlertsConfig alerts(ConfigSection section) {
        Duration interval = section.duration("interval", AlertsConfig.defaults().interval());
        ConfigSection webhook = section.section("webhook");
        section.finish();
        Optional<WebhookConfig> hook = Optional.empty();
        if (webhook.present()) {
            String url = webhook.optionalString("url", null);
            Map<String, String> headers = webhook.stringMap("headers", "name");
            Duration timeout = webhook.duration("timeout", Duration.ofSeconds(10));
            int attempts = webhook.integer("max_attempts", 8, 1, 100);
            webhook.finish();
            if (url == null) {
                throw webhook.error("url", "is required when alerts.webhook is present, e.g. url: https://alerts.example.com/hook");
            }
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                // the URL may hold a token: name the key, not the value
                throw webhook.error("url", "is not a valid URL (" + e.getReason() + ")");
            }
            hook = Optional.of(new WebhookConfig(uri, headers, timeout, attempts));
        }
        return new AlertsConfig(interval, hook);
    }

    private static LoggingConfig logging(ConfigSection section) {
        String format = section.optionalString("format", "text");
        section.finish();
        return switch (format) {
            case "text" -> new LoggingConfig(LoggingConfig.Format.TEXT);
            case "json" -> new LoggingConfig(LoggingConfig.Format.JSON);
            default -> throw section.error("format", "must be text or json, not '" + format + "'");
        };
    }

    private static CaptureConfig capture(ConfigSection section) {
        CaptureConfig defaults = CaptureConfig.defaults();
        CaptureConfig capture = new CaptureConfig(
                section.duration("heartbeat_interval", defaults.heartbeatInterval()),
                section.integer("snapshot_parallelism", defaults.snapshotParallelism(), 1, 64),
                section.integer("snapshot_chunk_pages", defaults.snapshotChunkPages(), 16, 1 << 24),
                Path.of(section.optionalString("spill_directory", defaults.spillDirectory().toString())),
                section.bytes("transaction_memory", defaults.transactionMemory()),
                section.integer("batch_max_changes", defaults.batchMaxChanges(), 1, 10_000_000),
                section.duration("batch_max_delay", defaults.batchMaxDelay()),
                section.integer("queue_max_transactions", defaults.queueMaxTransactions(), 1, 1_000_000),
                section.duration("retry_initial", defaults.retryInitial()),
                section.duration("retry_max", defaults.retryMax()),
                section.duration("status_interval", defaults.statusInterval()));
        section.finish();
        return capture;
    }

    private static PrivacyConfig privacy(ConfigSection section) {
        Map<String, HashKey.Algorithm> algorithms = new LinkedHashMap<>();
        section.stringMap("algorithm", "category").forEach((category, text) -> {
            try {
                algorithms.put(category, HashKey.Algorithm.parse(text));
            } catch (IllegalArgumentException e) {
                throw section.error("algorithm." + category, e.getMessage());
            }
        });
        Map<String, HashKey> keys = new LinkedHashMap<>();
        section.stringMap("keys", "category").forEach((category, text) -> keys.put(category,
                key(section, category, text, algorithms.getOrDefault(category, HashKey.Algorithm.HMAC_SHA256))));
        for (String category : algorithms.keySet()) {
            if (!keys.containsKey(category)) {
                throw section.error("algorithm." + category, "names a key category that privacy.keys does not have; add privacy.keys."
                        + category + " (the salt)");
            }
        }
        Map<String, ColumnPolicy> columns = new LinkedHashMap<>();
        section.stringMap("columns", "pattern").forEach((pattern, text) -> columns.put(pattern, policy(section, pattern, text)));
        ColumnPolicy defaultPolicy = switch (section.optionalString("default", "keep")) {
            case "keep" -> ColumnPolicy.KEEP;
            case "drop" -> ColumnPolicy.DROP;
            default -> throw section.error("default", "must be keep or drop");
        };
        Map<String, Normalization> normalization = new LinkedHashMap<>();
        section.stringMap("normalize", "category").forEach((category, text) -> {
            try {
                normalization.put(category, Normalization.parse(text));
            } catch (IllegalArgumentException e) {
                throw section.error("normalize." + category, e.getMessage());
            }
        });
        Map<TableId, RowFilter> rowFilters = new LinkedHashMap<>();
        section.sectionMap("row_filters", "table").forEach((table, filter) -> rowFilters.put(tableId(filter, table), rowFilter(filter)));
        section.finish();
        return new PrivacyConfig(keys, columns, defaultPolicy, normalization, rowFilters);
    }

    private static TableId tableId(ConfigSection filter, String table) {
        if (!table.matches("[^.*]+\\.[^.*]+")) {
            throw filter.error("", "names '" + table + "'; a row filter names one table as schema.table, e.g. public.namespaces");
        }
        return TableId.parse(table);
    }

    /** {@code column} with {@code values_file}, or {@code where}. */
    private static RowFilter rowFilter(ConfigSection filter) {
        String column = filter.optionalString("column", null);
        String valuesFile = filter.optionalString("values_file", null);
        String where = filter.optionalString("where", null);
        filter.finish();
        if (where != null) {
            if (column != null || valuesFile != null) {
                throw filter.error("", "has where and column/values_file; use one: where: \"<SQL>\" or column: <name> with values_file: <csv>");
            }
            return new RowFilter.Predicate(where);
        }
        if (column == null || valuesFile == null) {
            throw filter.error("", "needs column: <name> with values_file: <csv>, or where: \"<SQL predicate>\"");
        }
        Path file = Path.of(valuesFile);
        try {
            return new RowFilter.Values(column, file, ValuesFile.read(file, column));
        } catch (IOException e) {
            throw filter.error("values_file", "names " + file + ", which cannot be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        } catch (RuntimeException e) {
            throw filter.error("values_file", "names " + file + ", which is not a list of values: " + e.getMessage());
        }
    }

    /** A key from its variable's text or from {@code file:/path}; never put the secret into a message. */
    private static HashKey key(ConfigSection section, String category, String text, HashKey.Algorithm algorithm) {
        String secret = text;
        if (text.startsWith("file:")) {
            Path file = Path.of(text.substring("file:".length()));
            try {
                secret = Files.readString(file).strip();
            } catch (IOException | RuntimeException e) {
                throw section.error("keys." + category, "names key file " + file + ", which cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        try {
            return HashKey.of(category, secret, algorithm);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(section.file() + ": " + e.getMessage());
        }
    }

    private static ColumnPolicy policy(ConfigSection section, String pattern, String text) {
        try {
            new ColumnPattern(pattern, 0);
            return ColumnPolicy.parse(text);
        } catch (IllegalArgumentException e) {
            throw section.error("columns.\"" + pattern + "\"", e.getMessage());
        }
    }
}
