package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.testing.EmbeddedCell;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cellpipe check} against real cells: each problem fails or warns on its own row, with the fix. */
class CheckCommandIT {
    private static EmbeddedCell healthy;
    private static EmbeddedCell replicaOnly;

    @BeforeAll
    static void startCells() {
        healthy = EmbeddedCell.start();
        healthy.execute(
                "CREATE TABLE public.accounts (id bigint PRIMARY KEY, name text NOT NULL)",
                "CREATE ROLE weak LOGIN PASSWORD 'x'",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO weak",
                "CREATE DATABASE nokey");
        try (var connection = java.sql.DriverManager.getConnection(healthy.jdbcUrl("nokey"));
                var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE public.events (happened_at timestamptz, what text)");
            statement.execute("CREATE TABLE public.keyed (id int PRIMARY KEY)");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
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
    void aHealthyCellPasses(@TempDir Path dir) throws Exception {
        Run run = check(dir, healthy.jdbcUrl());

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(row(run, "connectivity")).contains("pass");
        assertThat(row(run, "wal_level")).contains("pass");
        assertThat(row(run, "server version")).contains("pass").contains("PostgreSQL 17");
        assertThat(row(run, "replication privilege")).contains("pass").contains("superuser");
        assertThat(row(run, "replication slots")).contains("pass").contains("of max_replication_slots 20 used")
                .contains("cellpipe_test does not exist yet");
        assertThat(row(run, "wal senders")).contains("pass").contains("of max_wal_senders 20 used");
        assertThat(row(run, "select privilege")).contains("pass");
        assertThat(row(run, "publication")).contains("pass").contains("does not exist yet");
        // the embedded cells keep PostgreSQL's default: unlimited
        assertThat(row(run, "max_slot_wal_keep_size")).contains("warn").contains("max_slot_wal_keep_size = '50GB'");
        assertThat(run.out()).doesNotContain(" fail ").contains("check: 1 cells, 0 failed checks");
    }

    @Test
    void aCellWithoutLogicalWalFailsWithTheFix(@TempDir Path dir) throws Exception {
        Run run = check(dir, replicaOnly.jdbcUrl());

        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(row(run, "wal_level")).contains("fail").contains("'replica'").contains("ALTER SYSTEM SET wal_level = logical");
        assertThat(row(run, "connectivity")).contains("pass");
    }

    @Test
    void aRoleWithoutReplicationFails(@TempDir Path dir) throws Exception {
        Run run = check(dir, "jdbc:postgresql://127.0.0.1:" + healthy.port() + "/postgres?user=weak&password=x");

        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(row(run, "replication privilege")).contains("fail").contains("ALTER ROLE \"weak\" WITH REPLICATION;");
        assertThat(row(run, "select privilege")).contains("pass");
        assertThat(row(run, "publication")).contains("fail").contains("CREATE PUBLICATION \"cellpipe_test\" FOR TABLE \"public\".\"accounts\"");
    }

    @Test
    void anUnreachablePortFailsConnectivity(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Run run = check(dir, "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");

        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(row(run, "connectivity")).contains("fail").contains(String.valueOf(port)).contains("host and port");
    }

    @Test
    void aTableWithoutPrimaryKeyWarnsWithTheFix(@TempDir Path dir) throws Exception {
        Run run = check(dir, healthy.jdbcUrl("nokey"));

        assertThat(run.exitCode()).as("warnings alone pass: %s", run.out()).isZero();
        assertThat(row(run, "replica identity")).contains("warn").contains("public.events")
                .contains("ALTER TABLE \"public\".\"events\" REPLICA IDENTITY FULL;");
        assertThat(run.out()).doesNotContain("public.keyed has no primary key");
    }

    private record Run(int exitCode, String out) {
    }

    /** The output line of the one cell's check, with runs of spaces collapsed. */
    private static String row(Run run, String check) {
        return Arrays.stream(run.out().split("\n")).map(line -> line.replaceAll(" {2,}", " "))
                .filter(line -> line.startsWith("cell-1 " + check + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for check '" + check + "' in:\n" + run.out()));
    }

    private static Run check(Path dir, String url) throws Exception {
        Path file = dir.resolve("cellpipe.yml");
        Files.writeString(file, CapturedCells.yaml(dir.resolve("w.duckdb"), Map.of("cell-1", url), "[\"public.*\"]", "[]"));
        CommandLine commandLine = Main.commandLine();
        StringWriter out = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(new StringWriter(), true));
        int exitCode = commandLine.execute("check", "--config", file.toString());
        assertThat(dir.resolve("w.duckdb")).as("check does not open the warehouse").doesNotExist();
        return new Run(exitCode, out.toString());
    }
}
