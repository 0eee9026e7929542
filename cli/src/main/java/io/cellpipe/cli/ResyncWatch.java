package io.cellpipe.cli;

import io.cellpipe.core.spi.Resync;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Follows resyncs until they end, printing their progress (rows, rows/s). A request for every table
 * of a cell is split by the capture into one request per table: those requested after it, for the
 * same cell, are followed too.
 */
final class ResyncWatch {
    private static final long POLL_MILLIS = 1000;
    private static final long PRINT_EVERY_NANOS = 5_000_000_000L;

    private final PrintWriter out;
    private final Map<String, long[]> seen = new HashMap<>();

    ResyncWatch(PrintWriter out) {
        this.out = out;
    }

    /** 0 when every followed resync is done, 1 when one failed, 3 when the wait timed out. */
    int await(List<Resync> requests, Supplier<List<Resync>> current, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastPrint = 0;
        while (true) {
            List<Resync> followed = followed(requests, current.get());
            boolean finished = followed.stream().allMatch(resync -> resync.state().finished())
                    && requests.stream().allMatch(request -> followed.stream().anyMatch(resync -> resync.id().equals(request.id())));
            if (finished || System.nanoTime() - lastPrint > PRINT_EVERY_NANOS) {
                lastPrint = System.nanoTime();
                print(followed);
            }
            if (finished) {
                long failed = followed.stream().filter(resync -> resync.state() == Resync.State.FAILED).count();
                long rows = followed.stream().mapToLong(Resync::rowsDone).sum();
                out.println(failed == 0 ? "resync: done, " + rows + " rows re-read" : "resync: FAILED: " + failed + " of " + followed.size()
                        + " resyncs failed (see above)");
                out.flush();
                return failed == 0 ? 0 : 1;
            }
            if (System.nanoTime() > deadline) {
                out.println("resync: still running after " + timeout + "; follow it with cellpipe status or GET /resync");
                out.flush();
                return 3;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static List<Resync> followed(List<Resync> requests, List<Resync> all) {
        Set<String> ids = new java.util.HashSet<>();
        requests.forEach(request -> ids.add(request.id()));
        return all.stream().filter(resync -> ids.contains(resync.id()) || requests.stream().anyMatch(request -> request.everyTable()
                && request.cellId().equals(resync.cellId()) && !resync.requestedAt().isBefore(request.requestedAt()))).toList();
    }

    private void print(List<Resync> resyncs) {
        long now = System.nanoTime();
        for (Resync resync : resyncs) {
            if (resync.everyTable()) {
                continue;
            }
            long[] before = seen.get(resync.id());
            String rate = "";
            if (before != null && now > before[1] && resync.rowsDone() >= before[0]) {
                rate = ", " + Math.round((resync.rowsDone() - before[0]) / ((now - before[1]) / 1e9)) + " rows/s";
            }
            seen.put(resync.id(), new long[] {resync.rowsDone(), now});
            out.println("  " + resync.cellId() + " " + resync.table() + (resync.range() == null ? "" : " " + resync.range()) + ": "
                    + resync.state().name().toLowerCase(java.util.Locale.ROOT) + ", " + resync.rowsDone() + " rows" + rate
                    + (resync.state() == Resync.State.FAILED ? ": " + resync.detail() : ""));
        }
        out.flush();
    }
}
