package io.cellpipe.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.CellState;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * A progress bar on the terminal's last line while cells take their snapshot, redrawn every
 * {@code interval}. Log lines to the same terminal are written above it: the console appender's
 * stream is routed through here, which clears the bar, writes the line and draws the bar again.
 * Only for a terminal; without one, the periodic progress log lines say the same.
 */
final class TerminalProgress implements AutoCloseable {
    private static final String CLEAR_LINE = "\r\033[K";

    private final PrintStream terminal;
    private final Pipeline pipeline;
    private final Duration interval;
    private final Thread thread;
    /** Guarded by this: what the last line shows now, empty when nothing. */
    private String shown = "";
    private volatile boolean running = true;

    private TerminalProgress(PrintStream terminal, Pipeline pipeline, Duration interval) {
        this.terminal = terminal;
        this.pipeline = pipeline;
        this.interval = interval;
        routeConsoleLogs();
        this.thread = Thread.ofVirtual().name("terminal-progress").start(this::drawUntilClosed);
    }

    /** Draws on the terminal when the process has one (and logs are text); else returns null. */
    static TerminalProgress startIfTerminal(Pipeline pipeline, boolean textLogs) {
        if (System.console() == null || !textLogs) {
            return null;
        }
        return new TerminalProgress(System.err, pipeline, Duration.ofMillis(500));
    }

    /** The line to show for these reports, or empty when no cell is taking a snapshot. */
    static String line(List<CellReport> reports, Instant now) {
        List<CellReport> snapshotting = reports.stream().filter(report -> report.state() == CellState.SNAPSHOTTING).toList();
        if (snapshotting.isEmpty()) {
            return "";
        }
        String who = snapshotting.size() == 1 ? snapshotting.get(0).cellId() : snapshotting.size() + " cells";
        String bar = ProgressLine.bar(snapshotting, now);
        return "snapshot " + who + " " + (bar.isEmpty() ? "" : bar + " ") + ProgressLine.snapshot(snapshotting, now);
    }

    private void drawUntilClosed() {
        try {
            while (running) {
                show(line(pipeline.report(), Instant.now()));
                Thread.sleep(interval);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void show(String line) {
        if (line.equals(shown)) {
            return;
        }
        terminal.print(CLEAR_LINE + line);
        terminal.flush();
        shown = line;
    }

    /** Writes a log line above the bar. */
    private synchronized void writeAbove(byte[] bytes, int offset, int length) {
        if (!shown.isEmpty()) {
            terminal.print(CLEAR_LINE);
        }
        terminal.write(bytes, offset, length);
        if (!shown.isEmpty()) {
            terminal.print(shown);
        }
        terminal.flush();
    }

    private void routeConsoleLogs() {
        OutputStream above = new OutputStream() {
            @Override
            public void write(int b) {
                writeAbove(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                writeAbove(bytes, offset, length);
            }
        };
        for (OutputStreamAppender<?> appender : consoleAppenders()) {
            appender.setOutputStream(above);
        }
    }

    private static List<OutputStreamAppender<?>> consoleAppenders() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return List.of();
        }
        List<OutputStreamAppender<?>> consoles = new ArrayList<>();
        Iterator<Appender<ch.qos.logback.classic.spi.ILoggingEvent>> appenders =
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        while (appenders.hasNext()) {
            if (appenders.next() instanceof ch.qos.logback.core.ConsoleAppender<?> console) {
                consoles.add(console);
            }
        }
        return consoles;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(Duration.ofSeconds(2));
        show("");
    }
}
