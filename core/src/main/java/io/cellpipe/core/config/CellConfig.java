package io.cellpipe.core.config;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/** One cell: an id that is part of every warehouse key, and the JDBC URL of its database. */
public record CellConfig(String id, String url) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    public CellConfig {
        requireNonNull(id, "id is null");
        requireNonNull(url, "url is null");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("cell id '" + id + "' must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("cell " + id + ": url must start with jdbc:postgresql://");
        }
    }

    /** The URL without its password, for logs and errors. */
    public String safeUrl() {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
