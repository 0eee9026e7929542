package io.cellpipe.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LsnTest {
    @Test
    void parsesAndPrintsLikePostgres() {
        Lsn lsn = Lsn.parse("16/B374D848");
        assertThat(lsn.value()).isEqualTo(0x16B374D848L);
        assertThat(lsn).hasToString("16/B374D848");
        assertThat(Lsn.parse("0/0")).isEqualTo(Lsn.ZERO);
    }

    @Test
    void comparesUnsigned() {
        Lsn high = new Lsn(0xFFFFFFFF00000000L);
        assertThat(high.isAfter(Lsn.parse("7FFFFFFF/0"))).isTrue();
        assertThat(Lsn.max(Lsn.ZERO, high)).isEqualTo(high);
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> Lsn.parse("12345")).hasMessageContaining("not an LSN");
        assertThatThrownBy(() -> Lsn.parse("x/y")).hasMessageContaining("not an LSN");
    }
}
