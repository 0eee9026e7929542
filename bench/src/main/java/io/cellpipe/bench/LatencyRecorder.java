package io.cellpipe.bench;

import java.util.Arrays;

/** Latencies in microseconds, recorded by the applier thread only while switched on; read after it is switched off. */
final class LatencyRecorder {
    private long[] micros = new long[1 << 16];
    private int count;
    private volatile boolean recording;

    record Percentiles(int samples, double p50Millis, double p95Millis, double p99Millis, double maxMillis) {
    }

    void recording(boolean on) {
        recording = on;
    }

    synchronized void record(long latencyMicros) {
        if (!recording) {
            return;
        }
        if (count == micros.length) {
            micros = Arrays.copyOf(micros, count * 2);
        }
        micros[count++] = latencyMicros;
    }

    synchronized Percentiles percentiles() {
        if (count == 0) {
            throw new IllegalStateException("no transaction was applied while latency was recorded");
        }
        long[] sorted = Arrays.copyOf(micros, count);
        Arrays.sort(sorted);
        return new Percentiles(count, at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted[count - 1] / 1000.0);
    }

    /** Nearest-rank percentile. */
    private static double at(long[] sorted, double quantile) {
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1000.0;
    }
}
