package io.cellpipe.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertsTest {
    private static final AlertKind SATURATION = new AlertKind("sequence_saturation", Severity.WARNING);

    @Test
    void tellsSinksOnceWhenAnAlertStartsAndOnceWhenItEnds() {
        List<String> told = new ArrayList<>();
        Alerts alerts = new Alerts().addSink(new AlertSink() {
            @Override
            public void raised(Alert alert) {
                told.add("raised " + alert.kind() + " " + alert.cell() + " " + alert.subject() + ": " + alert.text());
            }

            @Override
            public void resolved(Alert alert, Instant resolvedAt) {
                told.add("resolved " + alert.kind() + " " + alert.cell() + " " + alert.subject() + ": " + alert.text());
            }
        });
        alerts.raise(SATURATION, "cell-1", "public.users_id_seq", "91% used");
        alerts.raise(SATURATION, "cell-1", "public.users_id_seq", "92% used");
        alerts.raise(AlertKind.CELL_UNREACHABLE, "cell-2", "down");
        alerts.resolve(SATURATION, "cell-1", "public.other_seq");
        assertThat(alerts.firing()).extracting(Alert::text).containsExactly("down", "92% used"); // critical first
        assertThat(alerts.isFiring(SATURATION, "cell-1", "public.users_id_seq")).isTrue();

        alerts.resolve(SATURATION, "cell-1", "public.users_id_seq");
        alerts.resolve(SATURATION, "cell-1", "public.users_id_seq");
        assertThat(told).containsExactly(
                "raised sequence_saturation cell-1 public.users_id_seq: 91% used",
                "raised cell_unreachable cell-2 : down",
                "resolved sequence_saturation cell-1 public.users_id_seq: 92% used");
        assertThat(alerts.firing()).extracting(Alert::kind).containsExactly(AlertKind.CELL_UNREACHABLE);
    }

    @Test
    void kindNamesAreMetricLabels() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AlertKind("Sequence Saturation", Severity.WARNING))
                .hasMessageContaining("lower-case");
    }
}
