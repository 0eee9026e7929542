package io.cellpipe.bench;

import static java.util.Objects.requireNonNull;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A PNG bar chart of throughput by system (raw baseline, cellpipe, Debezium), one panel per measurement with its
 * own scale, drawn from the figures of the run so that it is redone with the results table.
 */
final class ThroughputChart {
    private static final int PANEL_WIDTH = 440;
    private static final int HEIGHT = 400;
    private static final int TOP = 70;
    private static final int BOTTOM = 60;
    private static final int LEFT = 80;
    private static final Color RAW = new Color(0x9e, 0x9e, 0x9e);
    private static final Color CELLPIPE = new Color(0x1f, 0x6f, 0xb4);
    private static final Color DEBEZIUM = new Color(0xe0, 0x7b, 0x1a);

    record Bar(String system, double perSecond, Color color) {
        Bar {
            requireNonNull(system, "system is null");
            requireNonNull(color, "color is null");
        }
    }

    record Panel(String title, String unit, List<Bar> bars) {
        Panel {
            requireNonNull(title, "title is null");
            requireNonNull(unit, "unit is null");
            bars = List.copyOf(bars);
        }
    }

    private ThroughputChart() {
    }

    /** The panels of a run: streaming and snapshot, each with the systems measured in it; none when neither ran. */
    static List<Panel> panels(Phases.Streaming streaming, Phases.Snapshot snapshot) {
        List<Panel> panels = new ArrayList<>();
        if (streaming != null) {
            List<Bar> bars = new ArrayList<>();
            bars.add(new Bar("raw pgoutput", streaming.raw().changesPerSecond(), RAW));
            bars.add(new Bar("cellpipe", streaming.cellpipePerSecond(), CELLPIPE));
            if (streaming.debezium() != null) {
                bars.add(new Bar("Debezium", streaming.debezium().eventsPerSecond(), DEBEZIUM));
            }
            panels.add(new Panel(String.format(Locale.ROOT, "Streaming, %,d changes", streaming.workloadChanges()), "changes/s", bars));
        }
        if (snapshot != null) {
            List<Bar> bars = new ArrayList<>();
            bars.add(new Bar("raw COPY", snapshot.raw().rowsPerSecond(), RAW));
            bars.add(new Bar("cellpipe", snapshot.cellpipePerSecond(), CELLPIPE));
            if (snapshot.debezium() != null) {
                bars.add(new Bar("Debezium", snapshot.debezium().eventsPerSecond(), DEBEZIUM));
            }
            panels.add(new Panel(String.format(Locale.ROOT, "Snapshot, %,d rows", snapshot.tableRows()), "rows/s", bars));
        }
        return panels;
    }

    static void write(Path file, String subtitle, List<Panel> panels) throws IOException {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("a chart needs at least one panel");
        }
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(PANEL_WIDTH * panels.size(), HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(subtitle, 12, HEIGHT - 12);
            for (int i = 0; i < panels.size(); i++) {
                drawPanel(g, panels.get(i), i * PANEL_WIDTH);
            }
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK for " + file);
        }
    }

    private static void drawPanel(Graphics2D g, Panel panel, int x0) {
        int plotLeft = x0 + LEFT;
        int plotRight = x0 + PANEL_WIDTH - 20;
        int plotTop = TOP;
        int plotBottom = HEIGHT - BOTTOM;
        double max = panel.bars().stream().mapToDouble(Bar::perSecond).max().orElse(1);
        double step = niceStep(max / 4);
        double top = Math.ceil(max * 1.1 / step) * step;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(panel.title(), x0 + 20, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.DARK_GRAY);
        g.drawString(panel.unit() + " (higher is better)", x0 + 20, 48);

        FontMetrics metrics = g.getFontMetrics();
        for (double value = 0; value <= top + step / 2; value += step) {
            int y = plotBottom - (int) Math.round(value / top * (plotBottom - plotTop));
            g.setColor(new Color(0xe6, 0xe6, 0xe6));
            g.drawLine(plotLeft, y, plotRight, y);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%,.0f", value);
            g.drawString(label, plotLeft - 8 - metrics.stringWidth(label), y + 4);
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawLine(plotLeft, plotBottom, plotRight, plotBottom);

        int slot = (plotRight - plotLeft) / panel.bars().size();
        int barWidth = Math.min(80, slot * 3 / 5);
        for (int i = 0; i < panel.bars().size(); i++) {
            Bar bar = panel.bars().get(i);
            int height = (int) Math.round(bar.perSecond() / top * (plotBottom - plotTop));
            int x = plotLeft + i * slot + (slot - barWidth) / 2;
            g.setColor(bar.color());
            g.fillRect(x, plotBottom - height, barWidth, height);
            g.setColor(Color.BLACK);
            String value = String.format(Locale.ROOT, "%,.0f", bar.perSecond());
            g.drawString(value, x + (barWidth - metrics.stringWidth(value)) / 2, plotBottom - height - 6);
            g.drawString(bar.system(), x + (barWidth - metrics.stringWidth(bar.system())) / 2, plotBottom + 18);
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
    private static double niceStep(double rough) {
        if (rough <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * power >= rough) {
                return factor * power;
            }
        }
        return 10 * power;
    }
}
