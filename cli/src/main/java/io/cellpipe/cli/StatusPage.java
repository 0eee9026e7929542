package io.cellpipe.cli;

/** The status page served at {@code /}. */
final class StatusPage {
    private StatusPage() {
    }

    static String html(String pipeline) {
        return "<!doctype html><title>cellpipe " + pipeline + "</title><p>See <a href=\"/status\">/status</a>.</p>\n";
    }
}
