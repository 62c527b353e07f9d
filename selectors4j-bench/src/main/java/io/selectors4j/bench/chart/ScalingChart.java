package io.selectors4j.bench.chart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws selector scaling from a JMH JSON result ({@code -rf json -rff results.json}): time per
 * non-blocking select against the number of registered descriptors, log-log, one line per selector.
 *
 * <pre>java -cp benchmarks.jar io.selectors4j.bench.chart.ScalingChart results.json chart.png [ready]</pre>
 *
 * {@code ready} picks the runs with that many ready descriptors (default 1).
 */
public final class ScalingChart {
    private ScalingChart() {
    }

    /** Reads the JSON named first and writes the PNG named second. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: ScalingChart RESULTS.json CHART.png [READY]");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        int ready = args.length == 3 ? Integer.parseInt(args[2]) : 1;
        Map<String, SortedMap<Integer, Double>> series = ScalingSeries.read(Path.of(args[0]), ready);
        XYChart chart = chart(series, ready);
        BitmapEncoder.saveBitmap(chart, args[1], BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(Map<String, SortedMap<Integer, Double>> series, int ready) {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("One non-blocking select, " + ready + " ready")
                .xAxisTitle("registered descriptors").yAxisTitle("ns per select").build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
                .setLegendPosition(Styler.LegendPosition.InsideNW);
        for (Map.Entry<String, SortedMap<Integer, Double>> line : series.entrySet()) {
            List<Integer> registered = new ArrayList<>(line.getValue().keySet());
            List<Double> nanos = new ArrayList<>(line.getValue().values());
            chart.addSeries(line.getKey(), registered, nanos).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }
}
