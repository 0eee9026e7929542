package io.cellpipe.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.Lsn;
import io.cellpipe.core.pipeline.CellReport;
import io.cellpipe.core.spi.CellState;
import io.cellpipe.core.spi.SlotWal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AlertRulesEvaluationTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final long GB = 1024L * 1024 * 1024;

    private final Alerts alerts = new Alerts();
    private final AlertRules rules = new AlertRules(alerts, Duration.ofMinutes(5));

    @Test
    void freshnessObjectiveFiresWhileTheWarehouseIsTooFarBehindAndResolvesWhenItCatchesUp() {
        rules.evaluate(List.of(report(CellState.RETRYING, 1, NOW.minusSeconds(420), Map.of())), cell -> Optional.empty(), NOW);
        assertThat(alerts.firing()).singleElement().satisfies(alert -> {
            assertThat(alert.kind()).isEqualTo(AlertKind.FRESHNESS_SLO);
            assertThat(alert.cell()).isEqualTo("cell-1");
            assertThat(alert.text()).contains("7m00s behind cell cell-1 (objective 5m00s)").contains("retrying").contains("connection refused");
        });
        rules.evaluate(List.of(report(CellState.STREAMING, 0, NOW.minusSeconds(2), Map.of())), cell -> Optional.empty(), NOW);
        assertThat(alerts.firing()).isEmpty();
    }

    @Test
    void aCellWithoutAnyDataYetHasNoFreshnessToAlertOn() {
        rules.evaluate(List.of(report(CellState.SNAPSHOTTING, 0, null, Map.of())), cell -> Optional.empty(), NOW);
        assertThat(alerts.firing()).isEmpty();
    }

    @Test
    void slotAlertFiresAtEightyPercentOfTheLimitAndResolvesBelowSeventyFive() {
        List<CellReport> reports = List.of(report(CellState.STREAMING, 0, NOW, Map.of()));
        rules.evaluate(reports, cell -> Optional.of(wal(850L * GB / 1000, GB, "extended")), NOW);
        assertThat(alerts.firing()).singleElement().satisfies(alert -> {
            assertThat(alert.kind()).isEqualTo(AlertKind.SLOT_WAL_LIMIT);
            assertThat(alert.text()).contains("85% of max_slot_wal_keep_size (1.0 GB)");
        });
        rules.evaluate(reports, cell -> Optional.of(wal(780L * GB / 1000, GB, "extended")), NOW);
        assertThat(alerts.firing()).hasSize(1);
        rules.evaluate(reports, cell -> Optional.empty(), NOW); // not measured: left as it is
        assertThat(alerts.firing()).hasSize(1);
        rules.evaluate(reports, cell -> Optional.of(wal(100, GB, "reserved")), NOW);
        assertThat(alerts.firing()).isEmpty();
        rules.evaluate(reports, cell -> Optional.of(wal(100, -1, "reserved")), NOW); // unlimited
        assertThat(alerts.firing()).isEmpty();
        rules.evaluate(reports, cell -> Optional.of(wal(100, GB, "lost")), NOW);
        assertThat(alerts.firing()).singleElement().extracting(Alert::text).asString().contains("--resnapshot cell-1");
    }

    @Test
    void aCellRetryingSeveralTimesIsUnreachableAndOneNeedingAnOperatorHasFailed() {
        rules.evaluate(List.of(report(CellState.RETRYING, 2, NOW, Map.of())), cell -> Optional.empty(), NOW);
        assertThat(alerts.firing()).isEmpty();
        rules.evaluate(List.of(report(CellState.RETRYING, 3, NOW, Map.of())), cell -> Optional.empty(), NOW);
        assertThat(alerts.firing()).extracting(Alert::kind).containsExactly(AlertKind.CELL_UNREACHABLE);
        rules.evaluate(List.of(report(CellState.STARTING, 3, NOW, Map.of())), cell -> Optional.empty(), NOW);
        assertThat(alerts.firing()).extracting(Alert::kind).containsExactly(AlertKind.CELL_UNREACHABLE);
        rules.evaluate(List.of(report(CellState.FAILED, 4, NOW, Map.of())), cell -> Optional.empty(), NOW);
        assertThat(alerts.firing()).singleElement().satisfies(alert -> {
            assertThat(alert.kind()).isEqualTo(AlertKind.CELL_FAILED);
            assertThat(alert.text()).contains("needs an operator").contains("connection refused");
        });
        rules.evaluate(List.of(report(CellState.STREAMING, 0, NOW, Map.of())), cell -> Optional.empty(), NOW);
        assertThat(alerts.firing()).isEmpty();
    }

    @Test
    void eachStoppedTableIsAnAlertUntilItLoadsAgainAndARemovedCellTakesItsAlertsAlong() {
        rules.evaluate(List.of(report(CellState.STREAMING, 0, NOW, Map.of("public.a", "type changed", "public.b", "type changed"))),
                cell -> Optional.empty(), NOW);
        assertThat(alerts.firing()).extracting(Alert::subject).containsExactlyInAnyOrder("public.a", "public.b");
        assertThat(alerts.firing()).allSatisfy(alert -> assertThat(alert.text()).contains("other tables keep loading. type changed"));
        rules.evaluate(List.of(report(CellState.STREAMING, 0, NOW, Map.of("public.b", "type changed"))), cell -> Optional.empty(), NOW);
        assertThat(alerts.firing()).extracting(Alert::subject).containsExactly("public.b");
        alerts.raise(new AlertKind("clusterwide_drift", Severity.WARNING), "", "public.plans", "differs");
        rules.evaluate(List.of(), cell -> Optional.empty(), NOW);
        assertThat(alerts.firing()).extracting(alert -> alert.kind().name()).containsExactly("clusterwide_drift");
    }

    private static SlotWal wal(long retained, long limit, String status) {
        return new SlotWal(retained / 2, retained, limit < 0 ? OptionalLong.empty() : OptionalLong.of(limit), OptionalLong.empty(), status);
    }

    private static CellReport report(CellState state, int attempts, Instant currentAsOf, Map<String, String> stopped) {
        return new CellReport("cell-1", state, state.name().toLowerCase() + " detail", attempts == 0 ? null : "connection refused",
                attempts, Lsn.ZERO, currentAsOf, 0, 0, 0, Map.of(), stopped, currentAsOf, attempts, 0, Map.of(), Map.of(), null);
    }
}
