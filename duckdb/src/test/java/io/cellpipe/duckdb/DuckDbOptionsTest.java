package io.cellpipe.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cellpipe.core.config.ConfigException;
import io.cellpipe.core.config.ConfigSection;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DuckDbOptionsTest {
    static ConfigSection section(String json) throws Exception {
        return new ConfigSection("cellpipe.yml", "destination.duckdb", new ObjectMapper().readTree(json), name -> null);
    }

    @Test
    void readsPathAndDefaults() throws Exception {
        assertThat(DuckDbOptions.from(section("{\"path\": \"./w.duckdb\"}"))).isEqualTo(new DuckDbOptions(Path.of("./w.duckdb"), false, true));
        assertThat(DuckDbOptions.from(section("{\"path\": \"w.duckdb\", \"hard_deletes\": true, \"change_log\": false}")))
                .isEqualTo(new DuckDbOptions(Path.of("w.duckdb"), true, false));
        assertThat(DuckDbOptions.from(section("{\"path\": \"w.duckdb\", \"memory_limit\": \"1GB\"}")).memoryLimit())
                .isEqualTo(1024L * 1024 * 1024);
        assertThatThrownBy(() -> DuckDbOptions.from(section("{\"path\": \"w.duckdb\", \"memory_limit\": \"1MB\"}")))
                .hasMessageContaining("destination.duckdb.memory_limit must be at least 16MB");
        assertThat(DuckDbOptions.from(section("{\"path\": \"w.duckdb\"}")).threads()).isEqualTo(1);
        assertThat(DuckDbOptions.from(section("{\"path\": \"w.duckdb\", \"threads\": 4}")).threads()).isEqualTo(4);
        assertThatThrownBy(() -> DuckDbOptions.from(section("{\"path\": \"w.duckdb\", \"threads\": 0}")))
                .hasMessageContaining("destination.duckdb.threads");
    }

    @Test
    void refusesMissingPathAndUnknownKeys() {
        assertThatThrownBy(() -> DuckDbOptions.from(section("{}"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("destination.duckdb.path is required");
        assertThatThrownBy(() -> DuckDbOptions.from(section("{\"path\": \"w.duckdb\", \"hard_delete\": true}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hard_delete").hasMessageContaining("did you mean 'destination.duckdb.hard_deletes'");
        assertThatThrownBy(() -> DuckDbOptions.from(section("{\"path\": \"w.duckdb\", \"change_log\": \"yes\"}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be true or false");
    }
}
