package io.cellpipe.duckdb;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh warehouse file per test, opened as a destination, and a way to query it directly. */
abstract class WarehouseTestBase {
    @TempDir
    Path directory;
    Path file;
    DuckDbDestination destination;

    /** Where the warehouse file goes, relative to the test's directory. */
    String fileName() {
        return "warehouse.duckdb";
    }

    @BeforeEach
    void open() {
        file = directory.resolve(fileName());
        destination = new DuckDbDestination(DuckDbOptions.of(file));
    }

    @AfterEach
    void close() {
        if (destination != null) {
            destination.close();
        }
    }

    /** Runs SQL on the file itself (DuckDB allows one process at a time, so the destination is reopened afterwards). */
    List<List<String>> query(String sql) {
        destination.close();
        try {
            return WarehouseFile.query(file, sql);
        } finally {
            destination = new DuckDbDestination(DuckDbOptions.of(file));
        }
    }
}
