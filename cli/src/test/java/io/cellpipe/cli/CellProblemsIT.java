package io.cellpipe.cli;

import static io.cellpipe.cli.CapturedCells.awaitReport;
import static io.cellpipe.cli.CapturedCells.catchUp;
import static io.cellpipe.cli.PipelineHarness.assertMatches;
import static io.cellpipe.cli.PipelineHarness.awaitStreaming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.testing.EmbeddedCell;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A cell that cannot be captured fails on its own, with an error that names it and says what to
 * do, while a healthy cell in the same pipeline goes on streaming; and a configuration the
 * pipeline refuses stops {@code cellpipe run} before anything starts.
 */
class CellProblemsIT {
    private static final String HEALTHY = "cell-1";
    private static final String PROBLEM = "cell-2";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static EmbeddedCell healthy;
    private static EmbeddedCell replicaOnly;

    @BeforeAll
    static void startCells() {
        healthy = EmbeddedCell.start();
        healthy.execute(
                "CREATE TABLE public.accounts (id bigint PRIMARY KEY, name text NOT NULL, balance numeric(12,2))",
                "CREATE ROLE weak LOGIN PASSWORD 'x'",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO weak");
        CapturedCells.createMarkerTable(healthy);
        healthy.execute("GRANT SELECT ON " + CapturedCells.MARKER_TABLE + " TO weak");
        replicaOnly = EmbeddedCell.builder().setting("wal_level", "replica").start();
    }

    @AfterAll
    static void stopCells() {
        for (EmbeddedCell cell : new EmbeddedCell[] {healthy, replicaOnly}) {
            if (cell != null) {
                cell.close();
            }
        }
    }

    @Test
    void aCellWithoutLogicalWalFailsAndNamesTheSetting(@TempDir Path dir) throws Exception {
        CellReport failed = runBesideTheHealthyCell(dir, replicaOnly.jdbcUrl(), CellState.FAILED);

        assertThat(failed.lastError()).contains(PROBLEM).contains("wal_level").contains("logical");
    }

    @Test
    void aRoleWithoutReplicationFailsAndNamesThePrivilege(@TempDir Path dir) throws Exception {
        String weakUrl = "jdbc:postgresql://127.0.0.1:" + healthy.port() + "/postgres?user=weak&password=x";

        CellReport failed = runBesideTheHealthyCell(dir, weakUrl, CellState.FAILED);

        assertThat(failed.lastError()).contains(PROBLEM).contains("weak").contains("REPLICATION");
    }

    @Test
    void anUnreachableCellKeepsRetryingWithoutStoppingTheOthers(@TempDir Path dir) throws Exception {
        int port = unusedPort();

        CellReport retrying = runBesideTheHealthyCell(dir, "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres",
                CellState.RETRYING);

        assertThat(retrying.lastError()).contains(PROBLEM).contains(String.valueOf(port));
    }

    /**
     * Starts the healthy cell and a problem cell, waits for the problem to show, changes the healthy
     * cell and checks it arrives, checks the problem cell is still in that state after being tried
     * again, and verifies the healthy cell. Returns the problem cell's last report.
     */
    private static CellReport runBesideTheHealthyCell(Path dir, String problemUrl, CellState expected) throws Exception {
        Path warehouse = dir.resolve("w.duckdb");
        Map<String, String> cells = CapturedCells.cells(HEALTHY, healthy.jdbcUrl(), PROBLEM, problemUrl);
        Map<String, String> healthyOnly = CapturedCells.cells(HEALTHY, healthy.jdbcUrl());
        PipelineConfig config = CapturedCells.config(warehouse, cells);
        List<CellState> seen = new ArrayList<>();
        CellReport last;
        try (Destination destination = Assembly.destination(config.destination())) {
            try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
                pipeline.start(Assembly.sources(config));
                CellReport first = awaitReport(pipeline, PROBLEM, report -> {
                    seen.add(report.state());
                    return report.state() == expected;
                }, TIMEOUT);
                assertThat(first.lastError()).as("error of a cell in state %s", expected).isNotBlank();
                awaitStreaming(pipeline, HEALTHY, TIMEOUT);
                changeAccounts(healthy);
                catchUp(pipeline, healthyOnly, TIMEOUT);
                // tried again at least once since, and still in the same state (polled: between tries it is STARTING)
                last = awaitReport(pipeline, PROBLEM, report -> {
                    seen.add(report.state());
                    return report.state() == expected && report.attempts() > first.attempts();
                }, TIMEOUT);
                assertThat(CapturedCells.report(pipeline, HEALTHY).orElseThrow())
                        .satisfies(report -> assertThat(report.state()).isEqualTo(CellState.STREAMING))
                        .satisfies(report -> assertThat(report.changesApplied()).isPositive());
            }
            assertThat(seen).as("states of the problem cell").doesNotContain(CellState.STREAMING, CellState.SNAPSHOTTING);
            assertThat(destination.checkpoint(PROBLEM)).isEmpty();
            assertMatches(destination, CapturedCells.config(warehouse, healthyOnly));
        }
        return last;
    }

    /** Fifty new accounts after the existing ones, some updates and deletes. */
    private static void changeAccounts(EmbeddedCell cell) {
        cell.execute(
                "INSERT INTO public.accounts SELECT last.id + g, 'account ' || (last.id + g), g * 1.25"
                        + " FROM (SELECT coalesce(max(id), 0) AS id FROM public.accounts) last, generate_series(1, 50) g",
                "UPDATE public.accounts SET balance = balance + 1 WHERE id % 3 = 0",
                "DELETE FROM public.accounts WHERE id % 7 = 0");
    }

    private static int unusedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anUnknownKeyStopsRunWithTheKeyNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("typo.yml");
        Files.writeString(file, """
                pipeline: test
                cells:
                  - id: cell-1
                    url: "jdbc:postgresql://127.0.0.1:1/postgres?user=postgres"
                tables:
                  include: ["public.*"]
                  exlude: ["public.schema_migrations"]
                destination:
                  duckdb:
                    path: "%s"
                """.formatted(dir.resolve("w.duckdb")));

        Run run = run(file);

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(Main.CONFIG_ERROR);
        assertThat(run.err()).contains("typo.yml").contains("tables.exlude").contains("tables.exclude");
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aMissingEnvironmentVariableStopsRunWithTheVariableNamed(@TempDir Path dir) throws Exception {
        String variable = "CELLPIPE_IT_SURELY_UNSET_PASSWORD";
        assumeThat(System.getenv(variable)).isNull();
        Path file = dir.resolve("secret.yml");
        Files.writeString(file, """
                pipeline: test
                cells:
                  - id: cell-1
                    url: "jdbc:postgresql://127.0.0.1:1/postgres?user=postgres&password=${%s}"
                destination:
                  duckdb:
                    path: "%s"
                """.formatted(variable, dir.resolve("w.duckdb")));

        Run run = run(file);

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(Main.CONFIG_ERROR);
        assertThat(run.err()).contains(variable).contains("cells[0].url");
        assertThat(dir.resolve("w.duckdb")).as("nothing is created for a refused configuration").doesNotExist();
    }

    private record Run(int exitCode, String err) {
    }

    private static Run run(Path file) {
        CommandLine commandLine = Main.commandLine();
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        int exitCode = commandLine.execute("run", "--config", file.toString());
        return new Run(exitCode, err.toString());
    }
}
