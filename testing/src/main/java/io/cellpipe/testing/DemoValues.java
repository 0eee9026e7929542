package io.cellpipe.testing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Realistic column values for the demo schema, drawn from one seeded generator so that a seed always yields the same
 * rows. Besides ordinary values it mixes in what trips pipelines up: NULLs, non-Latin scripts and emoji, quotes,
 * backslashes, tabs and newlines, the strings {@code \N} and {@code NULL} (COPY's null marker and its look-alike),
 * NaN and infinities, and text large and random enough to be stored out of line (TOAST) rather than compressed inline.
 */
final class DemoValues {
    private static final List<String> FIRST_NAMES = List.of(
            "Anna", "Ben", "Chloé", "Dmitri", "Émilie", "Farid", "Grace", "Hiroshi", "Ingrid", "José", "Kwame", "Łukasz",
            "María", "Nguyễn", "Olga", "Priya", "Zoë", "Ренат", "さくら", "李", "محمد", "Søren");
    private static final List<String> LAST_NAMES = List.of(
            "Andersson", "Brown", "Çelik", "Dubois", "Evans", "Fischer", "García", "Hansen", "O'Brien", "Kowalski",
            "Müller", "Nakamura", "Okafor", "Petrov", "Rossi", "Smith", "Åström", "Иванов", "田中", "王");
    private static final List<String> WORDS = List.of(
            "api", "auth", "backend", "billing", "cache", "ci", "cli", "cluster", "deploy", "docs", "editor", "gateway",
            "graph", "infra", "issues", "ledger", "mobile", "monitor", "pipeline", "registry", "runner", "search",
            "storage", "ui", "web", "wiki");
    private static final List<String> VERBS = List.of(
            "Fix", "Add", "Remove", "Refactor", "Speed up", "Document", "Revert", "Upgrade", "Rename", "Deprecate");
    private static final List<String> AWKWARD_TEXTS = List.of(
            "\\N", "NULL", "", " ", "tab\there", "line one\nline two", "carriage\r\nreturn",
            "quote \" double and ' single", "back\\slash C:\\temp\\new", "emoji 🚀 deploy 🎉", "e\u0301 combining accent",
            "zero\u200bwidth", "right-to-left مرحبا بالعالم", "日本語のタイトル", "comma, {braces} and \"quotes\"");
    private static final List<String> TAGS = List.of(
            "backend", "frontend", "go", "java", "ruby", "rust", "security", "ux", "needs review", "p1", "日本", "ü", "a,b",
            "{curly}", "\"quoted\"");
    private static final List<String> BUILD_STATUSES = List.of(
            "success", "success", "success", "failed", "canceled", "running", "pending", "skipped");
    private static final List<Short> VISIBILITY_LEVELS = List.of((short) 0, (short) 10, (short) 20);
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String ACCENTED_LETTERS = "äßéøжλ";
    private static final String BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** ci_builds.created_at spreads over the partitioned months and a little beyond, into the DEFAULT partition. */
    private static final OffsetDateTime BUILDS_FROM = DemoSchema.FIRST_PARTITION_MONTH.minusMonths(1).atDay(1)
            .atStartOfDay().atOffset(ZoneOffset.UTC);
    private static final long BUILDS_SPAN_SECONDS = Duration.ofDays(31L * (DemoSchema.PARTITION_MONTHS + 2)).toSeconds();

    private final RandomGenerator random;

    DemoValues(RandomGenerator random) {
        this.random = random;
    }

    boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    int between(int fromInclusive, int toExclusive) {
        return random.nextInt(fromInclusive, toExclusive);
    }

    <T> T oneOf(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    String personName() {
        return oneOf(FIRST_NAMES) + " " + oneOf(LAST_NAMES);
    }

    /** A login handle; the caller appends the row id to make it unique. */
    String handle() {
        return oneOf(List.of("dev", "ops", "qa", "admin", "bot", "user", "ci")) + "_" + word(4);
    }

    String ipAddress() {
        if (chance(20)) {
            return null;
        }
        if (chance(25)) {
            return "2001:db8:%x:%x::%x".formatted(random.nextInt(0x10000), random.nextInt(0x10000), random.nextInt(0x10000));
        }
        return "%d.%d.%d.%d".formatted(between(1, 224), random.nextInt(256), random.nextInt(256), between(1, 255));
    }

    String encryptedPassword() {
        StringBuilder hash = new StringBuilder("$2a$10$");
        for (int i = 0; i < 53; i++) {
            hash.append(BCRYPT_ALPHABET.charAt(random.nextInt(BCRYPT_ALPHABET.length())));
        }
        return hash.toString();
    }

    /** A jsonb document, or NULL. */
    String preferences() {
        if (chance(25)) {
            return null;
        }
        return "{\"theme\": \"%s\", \"tab_width\": %d, \"notifications\": {\"email\": %b, \"web\": %b}, \"languages\": [\"en\", \"%s\"], \"note\": \"%s\"}"
                .formatted(oneOf(List.of("light", "dark", "solarized")), between(2, 9), random.nextBoolean(),
                        random.nextBoolean(), oneOf(List.of("de", "ja", "日本語", "ελληνικά")),
                        jsonEscaped(oneOf(AWKWARD_TEXTS)));
    }

    String namespaceName() {
        return capitalized(oneOf(WORDS)) + " " + oneOf(List.of("Group", "Team", "Labs", "Guild", "Gruppe", "チーム"));
    }

    String projectName() {
        return oneOf(WORDS) + "-" + oneOf(WORDS) + (chance(10) ? " " + oneOf(AWKWARD_TEXTS) : "");
    }

    /** A quarter are over 2 kB of incompressible text, which PostgreSQL moves out of line (TOAST). */
    String projectDescription() {
        if (chance(15)) {
            return null;
        }
        if (chance(30)) {
            return largeText(between(3_000, 12_000));
        }
        return sentence() + (chance(20) ? "\n\n" + oneOf(AWKWARD_TEXTS) : "");
    }

    /** Random words with some non-ASCII, so that pglz cannot shrink it below the TOAST threshold. */
    String largeText(int characters) {
        StringBuilder text = new StringBuilder(characters + 16);
        text.append("# ").append(sentence()).append('\n');
        while (text.length() < characters) {
            text.append(chance(3) ? oneOf(FIRST_NAMES) : word(between(2, 11))).append(chance(8) ? ".\n" : " ");
        }
        return text.toString();
    }

    /** GitLab's private, internal and public. */
    short visibilityLevel() {
        return oneOf(VISIBILITY_LEVELS);
    }

    /** For the positive_int domain, or NULL. */
    Integer starCount() {
        return chance(20) ? null : between(1, 50_000);
    }

    /** text[] values including an empty array, a NULL element and elements that need quoting. */
    String[] tags() {
        if (chance(15)) {
            return null;
        }
        String[] tags = new String[random.nextInt(5)];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = chance(5) ? null : oneOf(TAGS);
        }
        return tags;
    }

    String mergeRequestTitle() {
        return chance(10) ? oneOf(AWKWARD_TEXTS) : sentence();
    }

    byte[] commitSha() {
        byte[] sha = new byte[20];
        random.nextBytes(sha);
        return sha;
    }

    Integer[] labels() {
        if (chance(20)) {
            return null;
        }
        Integer[] labels = new Integer[random.nextInt(4)];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = between(1, 500);
        }
        return labels;
    }

    /** An interval literal, or NULL. */
    String timeEstimate() {
        if (chance(30)) {
            return null;
        }
        return oneOf(List.of("1 hour", "30 minutes", "2 days 03:04:05", "1 mon 2 days", "-3 hours", "0", "45.5 seconds",
                "PT1H30M", "1 year 2 mons"));
    }

    /** An unconstrained numeric literal: huge, tiny, negative, NaN and the infinities (PostgreSQL 14+), or NULL. */
    String weight() {
        if (chance(25)) {
            return null;
        }
        return chance(70) ? Integer.toString(between(0, 13)) : oneOf(List.of(
                "NaN", "Infinity", "-Infinity", "0.000000000000000000000000000001", "-42.5",
                "123456789012345678901234567890.123456789", "3.14159265358979323846264338327950288"));
    }

    BigDecimal price() {
        return chance(30) ? null : BigDecimal.valueOf(random.nextLong(-100_000, 99_999_999_99L), 2);
    }

    UUID uuid() {
        return new UUID(random.nextLong(), random.nextLong());
    }

    /** A date literal, sometimes {@code infinity} or {@code -infinity}, or NULL. */
    String dueDate(OffsetDateTime now) {
        if (chance(40)) {
            return null;
        }
        if (chance(10)) {
            return oneOf(List.of("infinity", "-infinity"));
        }
        return LocalDate.from(now).plusDays(between(-30, 365)).toString();
    }

    String buildStatus() {
        return oneOf(BUILD_STATUSES);
    }

    /** Seconds, with NaN and the infinities now and then, or NULL (boxed for that reason). */
    Double buildDuration() {
        if (chance(10)) {
            return null;
        }
        if (chance(5)) {
            return oneOf(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        }
        return random.nextInt(3_600_000) / 1000.0;
    }

    OffsetDateTime buildCreatedAt() {
        return BUILDS_FROM.plusSeconds(random.nextLong(BUILDS_SPAN_SECONDS));
    }

    String planName() {
        return oneOf(List.of("bronze", "silver", "gold", "trial", "opensource", "edu")) + "_" + word(3);
    }

    String sentence() {
        return oneOf(VERBS) + " " + oneOf(WORDS) + " " + oneOf(List.of("timeout", "crash", "race", "leak", "flag",
                "migration", "query", "layout", "permissions")) + " in " + oneOf(WORDS);
    }

    String word(int length) {
        StringBuilder word = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            String alphabet = chance(2) ? ACCENTED_LETTERS : LETTERS;
            word.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return word.toString();
    }

    private static String capitalized(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static String jsonEscaped(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
