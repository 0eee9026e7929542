package io.cellpipe.core.config;

import java.util.regex.Pattern;

/**
 * Takes credentials out of text that leaves the process (log lines, {@code /status}, alerts, the
 * webhook, command output): a driver's error can quote a whole connection URL, password included.
 */
public final class Credentials {
    /** {@code password=…}, {@code sslpassword=…} and the like as URL parameters or key-value settings. */
    private static final Pattern PARAMETER = Pattern.compile("(?i)\\b((?:ssl)?password|passwd|pwd|secret|token|sslkey)=[^&\\s\"',;)}\\]]*");
    /** {@code scheme://user:password@host}. */
    private static final Pattern USER_INFO = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^/@\\s:]*:)[^@/\\s]*@");

    private Credentials() {
    }

    /**
     * A copy of {@code error} and its causes, for a log line: the same classes' names and stack traces,
     * with every message scrubbed.
     */
    public static Throwable scrubbed(Throwable error) {
        return scrubbed(error, 0);
    }

    private static Throwable scrubbed(Throwable error, int depth) {
        Throwable cause = error.getCause() == null || error.getCause() == error || depth > 16 ? null : scrubbed(error.getCause(), depth + 1);
        Throwable copy = new ScrubbedError(error.getClass().getName() + ": " + scrub(error.getMessage()), cause);
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }

    /** Stands in for an error whose message was scrubbed; prints as the original class and message. */
    private static final class ScrubbedError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ScrubbedError(String message, Throwable cause) {
            super(message, cause, false, true);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    /** {@code text} with every credential it quotes replaced by {@code ***}; null for null. */
    public static String scrub(String text) {
        if (text == null || text.indexOf('=') < 0 && text.indexOf('@') < 0) {
            return text;
        }
        String scrubbed = PARAMETER.matcher(text).replaceAll("$1=***");
        return USER_INFO.matcher(scrubbed).replaceAll("$1***@");
    }
}
