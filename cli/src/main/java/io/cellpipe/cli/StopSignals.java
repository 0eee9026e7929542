package io.cellpipe.cli;

import sun.misc.Signal;

/**
 * Turns SIGINT and SIGTERM into an orderly stop. A JVM shutdown hook would also run, but the
 * process would then exit with 128 + the signal number; handling the signals lets `run` drain,
 * checkpoint and exit 0, which is what service managers expect of a clean stop.
 */
final class StopSignals {
    private StopSignals() {
    }

    static void onStop(Runnable stop) {
        Signal.handle(new Signal("INT"), signal -> stop.run());
        Signal.handle(new Signal("TERM"), signal -> stop.run());
    }
}
