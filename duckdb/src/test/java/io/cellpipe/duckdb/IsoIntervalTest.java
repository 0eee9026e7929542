package io.cellpipe.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IsoIntervalTest {
    @Test
    void readsPostgresIso8601Output() {
        assertThat(IsoInterval.parse("P1Y2M3DT4H5M6S")).isEqualTo(new IsoInterval(14, 3, 14_706_000_000L));
        assertThat(IsoInterval.parse("P-1Y-2M3DT-4H-5M-6.5S")).isEqualTo(new IsoInterval(-14, 3, -14_706_500_000L));
        assertThat(IsoInterval.parse("PT0S")).isEqualTo(new IsoInterval(0, 0, 0));
        assertThat(IsoInterval.parse("PT-0.000001S")).isEqualTo(new IsoInterval(0, 0, -1));
        assertThat(IsoInterval.parse("P178000000Y")).isEqualTo(new IsoInterval(2_136_000_000, 0, 0));
        assertThat(IsoInterval.parse("PT2562047788H")).isEqualTo(new IsoInterval(0, 0, 2_562_047_788L * 3_600_000_000L));
        assertThat(IsoInterval.parse("P2W")).isEqualTo(new IsoInterval(0, 14, 0));
    }

    @Test
    void writesDuckDbSpelling() {
        assertThat(IsoInterval.parse("P-1Y-2M3DT-4H-5M-6.5S").toDuckDbText()).isEqualTo("-14 months 3 days -14706500000 microseconds");
    }

    @Test
    void refusesOtherSpellings() {
        for (String text : new String[] {"1 day", "P", "P1", "PT1D", "P1H", "P1.5Y", "PxD", "P999999999999Y"}) {
            assertThatThrownBy(() -> IsoInterval.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("IntervalStyle=iso_8601");
        }
    }
}
