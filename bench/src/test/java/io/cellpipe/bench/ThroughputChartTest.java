package io.cellpipe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThroughputChartTest {
    @TempDir
    Path directory;

    @Test
    void drawsOnePanelPerMeasurementWithBarsInProportion() throws Exception {
        Phases.Streaming streaming = new Phases.Streaming(1_001, 10, 0.1, new RawStreamBaseline.Result(1_001, 11, 10_000_000), 1_001, 20_000_000,
                new DebeziumBaseline.Result("3.6.1.Final", 1_001, 40_000_000, 1_000_000));
        Phases.Snapshot snapshot = new Phases.Snapshot(5_000, new RawCopyBaseline.Result(5_000, 1 << 20, 10_000_000), 5_000, 50_000_000, 2, null);
        List<ThroughputChart.Panel> panels = ThroughputChart.panels(streaming, snapshot);
        Path file = directory.resolve("chart.png");

        ThroughputChart.write(file, "test run", panels);

        assertThat(panels).extracting(panel -> panel.bars().size()).containsExactly(3, 2);
        assertThat(panels.get(0).bars()).extracting(ThroughputChart.Bar::perSecond).containsExactly(100_100.0, 50_050.0, 25_025.0);
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(2 * image.getHeight() * 440 / 400);
        int raw = columnHeight(image, panels, 0, 0);
        int cellpipe = columnHeight(image, panels, 0, 1);
        int debezium = columnHeight(image, panels, 0, 2);
        assertThat(cellpipe).isCloseTo(raw / 2, org.assertj.core.data.Offset.offset(2));
        assertThat(debezium).isCloseTo(raw / 4, org.assertj.core.data.Offset.offset(2));
    }

    @Test
    void refusesAChartWithoutPanels() {
        assertThatThrownBy(() -> ThroughputChart.write(directory.resolve("empty.png"), "test run", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one panel");
    }

    /** The height in pixels of a bar, measured down its middle column in the bar's colour. */
    private static int columnHeight(BufferedImage image, List<ThroughputChart.Panel> panels, int panel, int bar) {
        ThroughputChart.Bar drawn = panels.get(panel).bars().get(bar);
        int colour = drawn.color().getRGB();
        int slots = panels.get(panel).bars().size();
        int plotLeft = panel * 440 + 80;
        int plotRight = panel * 440 + 440 - 20;
        int slot = (plotRight - plotLeft) / slots;
        int x = plotLeft + bar * slot + slot / 2;
        int height = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            if (image.getRGB(x, y) == colour) {
                height++;
            }
        }
        assertThat(height).as("pixels of %s's colour %s", drawn.system(), new Color(colour)).isPositive();
        return height;
    }
}
