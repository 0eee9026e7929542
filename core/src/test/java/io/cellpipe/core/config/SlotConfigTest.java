package io.cellpipe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SlotConfigTest {
    private static final String MINIMAL = """
            pipeline: analytics
            cells:
              - id: cell-1
                url: jdbc:postgresql://127.0.0.1:5432/gitlab
            destination:
              duckdb:
                path: ./warehouse.duckdb
            """;
    private final ConfigLoader loader = new ConfigLoader(name -> null);

    @Test
    void aLostSlotFailsTheCellUnlessTold() {
        assertThat(loader.parse("c.yml", MINIMAL).slot().onLost()).isEqualTo(SlotConfig.OnLost.FAIL);
        assertThat(loader.parse("c.yml", MINIMAL + "slot:\n  on_lost: resync\n").slot().onLost()).isEqualTo(SlotConfig.OnLost.RESYNC);
    }

    @Test
    void rejectsAnUnknownPolicyOrKey() {
        assertThatThrownBy(() -> loader.parse("c.yml", MINIMAL + "slot:\n  on_lost: ignore\n"))
                .hasMessageContaining("c.yml: slot.on_lost must be fail or resync, not 'ignore'");
        assertThatThrownBy(() -> loader.parse("c.yml", MINIMAL + "slot:\n  on_lsot: resync\n"))
                .hasMessageContaining("unknown key 'slot.on_lsot'; did you mean 'slot.on_lost'?");
    }
}
