package io.cellpipe.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellpipe.core.config.ConfigException;
import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.model.Column;
import io.cellpipe.core.model.ColumnKind;
import io.cellpipe.core.model.ColumnType;
import io.cellpipe.core.model.RowImage;
import io.cellpipe.core.model.TableId;
import io.cellpipe.core.model.TableSchema;
import io.cellpipe.core.spi.CaptureException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColumnPoliciesTest {
    private static final String DEFAULT_KEY = "default-key-0123456789abcdef";
    private static final String EMAIL_KEY = "email-key-0123456789abcdef";
    private static final Map<String, String> ENVIRONMENT = Map.of("HASH_KEY", DEFAULT_KEY, "EMAIL_KEY", EMAIL_KEY, "SHORT_KEY", "too-short");

    private static final String BASE = """
            pipeline: analytics
            cells:
              - id: cell-1
                url: jdbc:postgresql://127.0.0.1:5432/gitlab
            destination:
              duckdb:
                path: ./warehouse.duckdb
            """;

    private static final TableSchema USERS = new TableSchema(new TableId("public", "users"), java.util.List.of(
            new Column("id", ColumnType.of(ColumnKind.INT64, "bigint"), true),
            new Column("email", ColumnType.of(ColumnKind.TEXT, "character varying"), false),
            new Column("encrypted_password", ColumnType.of(ColumnKind.TEXT, "text"), false),
            new Column("name", ColumnType.of(ColumnKind.TEXT, "text"), false),
            new Column("birthday", ColumnType.of(ColumnKind.DATE, "date"), false),
            new Column("ip_address", ColumnType.of(ColumnKind.TEXT, "inet"), false),
            new Column("state", ColumnType.of(ColumnKind.TEXT, "text"), false, "active")));

    private static PipelineConfig load(String privacy) {
        return new ConfigLoader(ENVIRONMENT::get).parse("cellpipe.yml", BASE + privacy);
    }

    private static ColumnPolicies policies(String privacy) {
        return new ColumnPolicies(load(privacy).privacy());
    }

    static String hmac(String key, String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static final String POLICIES = """
            privacy:
              keys:
                default: ${HASH_KEY}
                email: ${EMAIL_KEY}
              columns:
                "public.users.email": hash:email
                "public.users.encrypted_password": drop
                "*.*.ip_address": hash
                "public.users.name": redact
                "public.users.birthday": redact
            """;

    @Test
    void aColumnListIsExactOnlyWhenColumnsAddedLaterWouldBeDropped() {
        String dropping = """
                privacy:
                  keys:
                    default: ${HASH_KEY}
                  columns:
                    "public.users.email": hash
                    "public.users.name": keep
                    "public.users.encrypted_password": drop
                    "public.other.*": keep
                  default: drop
                """;
        assertThat(policies(dropping).dropsColumnsAddedLater(USERS)).isTrue();
        assertThat(policies(dropping.replace("default: drop", "default: keep")).dropsColumnsAddedLater(USERS)).isFalse();
        // a wildcard keeps whatever column is added; a named column that does not exist yet may be added
        assertThat(policies(dropping.replace("public.other.*", "public.users.*_at")).dropsColumnsAddedLater(USERS)).isFalse();
        assertThat(policies(dropping.replace("public.users.name", "public.users.nickname")).dropsColumnsAddedLater(USERS)).isFalse();
    }

    @Test
    void mostSpecificPatternWins() {
        ColumnPolicies policies = policies("""
                privacy:
                  keys:
                    default: ${HASH_KEY}
                  columns:
                    "*.*.email": hash
                    "public.users.*": drop
                    "public.users.email": keep
                    "public.*.*": redact
                    "*.*.ip_address": hash
                    "public.acc*.token": drop
                    "public.*.token": keep
                """);
        assertThat(policies.policyOf("public", "users", "email")).isEqualTo(ColumnPolicy.KEEP);
        assertThat(policies.policyOf("public", "users", "name")).isEqualTo(ColumnPolicy.DROP);
        assertThat(policies.policyOf("audit", "users", "email").action()).isEqualTo(ColumnPolicy.Action.HASH);
        assertThat(policies.policyOf("public", "projects", "email")).as("two exact parts beat one").isEqualTo(ColumnPolicy.REDACT);
        assertThat(policies.policyOf("public", "projects", "ip_address").action()).as("more literal characters win a tie")
                .isEqualTo(ColumnPolicy.Action.HASH);
        assertThat(policies.policyOf("public", "accounts", "token")).isEqualTo(ColumnPolicy.DROP);
        assertThat(policies.policyOf("public", "tokens", "token")).isEqualTo(ColumnPolicy.KEEP);
        assertThat(policies.policyOf("audit", "projects", "title")).as("unmatched: the default").isEqualTo(ColumnPolicy.KEEP);
    }

    @Test
    void onAFullTieTheFirstPatternWins() {
        ColumnPolicies policies = policies("""
                privacy:
                  columns:
                    "public.u*.name": drop
                    "public.*s.name": redact
                """);
        assertThat(policies.policyOf("public", "users", "name")).isEqualTo(ColumnPolicy.DROP);
    }

    @Test
    void transformsSchemaAndRows() throws Exception {
        TablePolicy table = policies(POLICIES).forTable(USERS);
        TableSchema schema = table.schema();
        assertThat(schema.columns()).extracting(Column::name).containsExactly("id", "email", "name", "birthday", "ip_address", "state");
        assertThat(schema.column("id")).isSameAs(USERS.column("id"));
        assertThat(schema.column("email").type().kind()).isEqualTo(ColumnKind.TEXT);
        assertThat(schema.column("email").type().sourceType()).isEqualTo("hash:email(character varying)");
        assertThat(schema.column("name").type().sourceType()).isEqualTo("redact(text)");
        assertThat(schema.column("birthday").type().kind()).as("a redacted non-text column keeps its type").isEqualTo(ColumnKind.DATE);
        assertThat(schema.column("state")).isSameAs(USERS.column("state"));

        RowImage row = table.apply(RowImage.of("7", " Alice@Example.COM ", "$2a$secret", "Alice Liddell", "1990-01-02", "10.1.2.3", "active"));
        assertThat(row.size()).isEqualTo(6);
        assertThat(row.value(0)).isEqualTo("7");
        assertThat(row.value(1)).as("email is trimmed and lower-cased before hashing").isEqualTo(hmac(EMAIL_KEY, "alice@example.com"));
        assertThat(row.value(2)).isEqualTo(ColumnPolicies.REDACTED);
        assertThat(row.value(3)).isNull();
        assertThat(row.value(4)).as("other categories are hashed as is").isEqualTo(hmac(DEFAULT_KEY, "10.1.2.3"));
        assertThat(row.value(5)).isEqualTo("active");

        RowImage nulls = table.apply(RowImage.of("8", null, null, null, null, null, null));
        for (int i = 1; i < nulls.size(); i++) {
            assertThat(nulls.value(i)).as("NULL stays NULL").isNull();
        }
    }

    @Test
    void hashesAreLowerCaseHexAndDependOnTheKey() throws Exception {
        String hash = policies(POLICIES).forTable(USERS).apply(RowImage.of("1", "a@b.c", null, null, null, null, null)).value(1);
        assertThat(hash).matches("[0-9a-f]{64}");
        ColumnPolicies otherKey = new ColumnPolicies(new ConfigLoader(Map.of("HASH_KEY", DEFAULT_KEY, "EMAIL_KEY", "another-email-key-0123456789")::get)
                .parse("cellpipe.yml", BASE + POLICIES).privacy());
        assertThat(otherKey.forTable(USERS).apply(RowImage.of("1", "a@b.c", null, null, null, null, null)).value(1)).isNotEqualTo(hash);
    }

    @Test
    void normalizationCanBeConfiguredPerCategory() throws Exception {
        TablePolicy table = policies(POLICIES + "  normalize:\n    email: none\n    default: trim_lower\n").forTable(USERS);
        RowImage row = table.apply(RowImage.of("1", " A@B.c", null, null, null, " 10.0.0.1 ", null));
        assertThat(row.value(1)).isEqualTo(hmac(EMAIL_KEY, " A@B.c"));
        assertThat(row.value(4)).isEqualTo(hmac(DEFAULT_KEY, "10.0.0.1"));
    }

    @Test
    void unchangedToastStaysAMarkerInBothImages() {
        TablePolicy table = policies(POLICIES).forTable(USERS);
        boolean[] unchanged = {false, true, true, false, false, false, false};
        RowImage row = table.apply(new RowImage(new String[] {"1", null, null, "Bob", null, null, "x"}, unchanged));
        assertThat(row.isUnchangedToast(1)).isTrue();
        assertThat(row.value(1)).isNull();
        assertThat(row.isUnchangedToast(2)).isFalse();
        assertThat(row.value(2)).isEqualTo(ColumnPolicies.REDACTED);
    }

    @Test
    void defaultDropRemovesUnmatchedColumnsButNotKeys() {
        ColumnPolicies policies = policies("""
                privacy:
                  columns:
                    "public.users.name": keep
                    "public.users.state": keep
                  default: drop
                """);
        TableSchema schema = policies.forTable(USERS).schema();
        assertThat(schema.columns()).extracting(Column::name).containsExactly("id", "name", "state");
        assertThat(schema.column("state").missingValue()).isEqualTo("active");
    }

    @Test
    void aColumnAddedWithADefaultHasItsMissingValueTransformedToo() throws Exception {
        TablePolicy table = policies(POLICIES + "    \"public.users.state\": hash\n").forTable(USERS);
        assertThat(table.schema().column("state").missingValue()).isEqualTo(hmac(DEFAULT_KEY, "active"));
    }

    @Test
    void droppingAKeyColumnIsRefusedWithItsName() {
        ColumnPolicies policies = policies("""
                privacy:
                  columns:
                    "*.*.id": drop
                """);
        assertThatThrownBy(() -> policies.forTable(USERS)).isInstanceOf(CaptureException.class)
                .hasMessageContaining("public.users.id").hasMessageContaining("key");
        ColumnPolicies hashing = policies("privacy:\n  keys:\n    default: ${HASH_KEY}\n  columns:\n    \"*.*.id\": hash\n");
        assertThat(hashing.forTable(USERS).schema().column("id").key()).as("a key may be hashed").isTrue();
    }

    @Test
    void withoutPoliciesTheTableIsUntouched() {
        TablePolicy table = ColumnPolicies.none().forTable(USERS);
        assertThat(table.isIdentity()).isTrue();
        assertThat(table.schema()).isSameAs(USERS);
        RowImage row = RowImage.of("1", "a", "b", "c", null, null, null);
        assertThat(table.apply(row)).isSameAs(row);
    }

    @Test
    void aCategoryWithoutAKeyIsAConfigErrorNamingIt() {
        assertThatThrownBy(() -> load("privacy:\n  columns:\n    \"*.*.ip_address\": hash:ip\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'ip'").hasMessageContaining("privacy.keys.ip");
        assertThatThrownBy(() -> load("privacy:\n  columns:\n    \"*.*.ip_address\": hash\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("privacy.keys.default");
    }

    @Test
    void keysShorterThan16BytesAreRefusedWithoutShowingThem() {
        assertThatThrownBy(() -> load("privacy:\n  keys:\n    default: ${SHORT_KEY}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("privacy.keys.default").hasMessageContaining("16").hasMessageNotContaining("too-short");
    }

    @Test
    void saltedSha256CompatibilityModesHashTheNormalizedValueWithTheSaltAsDocumented() throws Exception {
        PipelineConfig config = new ConfigLoader(Map.of("SALT", "short-salt", "HASH_KEY", DEFAULT_KEY)::get).parse("cellpipe.yml", BASE + """
                privacy:
                  keys:
                    default: ${HASH_KEY}
                    email: ${SALT}
                    legacy: ${SALT}
                  algorithm:
                    email: sha256_salt_value
                    legacy: sha256_value_salt
                  columns:
                    "public.users.email": hash:email
                    "public.users.name": hash:legacy
                    "public.users.state": hash
                """);
        TablePolicy table = new ColumnPolicies(config.privacy()).forTable(USERS);
        RowImage row = table.apply(RowImage.of("1", " Zq@Example.COM ", "pw", "Ann Lee", null, null, "active"));
        assertThat(row.value(USERS.indexOf("email"))).isEqualTo(sha256("short-salt" + "zq@example.com"));
        assertThat(row.value(USERS.indexOf("name"))).isEqualTo(sha256("Ann Lee" + "short-salt"));
        assertThat(row.value(USERS.indexOf("state"))).isEqualTo(hmac(DEFAULT_KEY, "active"));
        assertThat(config.privacy().keys().get("email").toString()).contains("sha256_salt_value").doesNotContain("short-salt");

        assertThatThrownBy(() -> load("privacy:\n  keys:\n    default: ${HASH_KEY}\n  algorithm:\n    default: md5\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("privacy.algorithm.default").hasMessageContaining("sha256_salt_value");
        assertThatThrownBy(() -> load("privacy:\n  algorithm:\n    email: sha256_salt_value\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("privacy.algorithm.email").hasMessageContaining("privacy.keys.email");
        // an HMAC key keeps its minimum length
        assertThatThrownBy(() -> load("privacy:\n  keys:\n    default: ${SHORT_KEY}\n  algorithm:\n    default: hmac_sha256\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("16");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anUnsetKeyVariableIsAnError() {
        assertThatThrownBy(() -> load("privacy:\n  keys:\n    default: ${NOT_SET}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("privacy.keys").hasMessageContaining("NOT_SET");
    }

    @Test
    void keysMayComeFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("key");
        Files.writeString(file, "  file-key-0123456789abcdef\n");
        PipelineConfig config = load("privacy:\n  keys:\n    default: file:" + file + "\n  columns:\n    \"*.*.email\": hash\n");
        HashKey key = config.privacy().keys().get("default");
        assertThat(key.hash("x")).isEqualTo(hmac("file-key-0123456789abcdef", "x"));
        assertThat(key.toString()).doesNotContain("file-key").contains(key.fingerprint());
        assertThat(config.toString()).doesNotContain("file-key");
        assertThat(key.fingerprint()).matches("[0-9a-f]{8}");
        assertThatThrownBy(() -> load("privacy:\n  keys:\n    default: file:" + dir.resolve("missing") + "\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("privacy.keys.default").hasMessageContaining("cannot be read");
    }

    @Test
    void policiesAndPatternsAreChecked() {
        assertThatThrownBy(() -> load("privacy:\n  columns:\n    \"public.users.email\": hsh\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("privacy.columns.\"public.users.email\"").hasMessageContaining("keep, drop");
        assertThatThrownBy(() -> load("privacy:\n  columns:\n    \"users.email\": drop\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.table.column");
        assertThatThrownBy(() -> load("privacy:\n  default: redact\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("privacy.default");
        assertThatThrownBy(() -> load("privacy:\n  colums: {}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("did you mean 'privacy.columns'");
    }
}
