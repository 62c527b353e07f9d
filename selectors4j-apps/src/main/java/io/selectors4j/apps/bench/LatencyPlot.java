package io.selectors4j.apps.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The latency distribution as a PNG: latency against percentile, the percentile axis stretched
 * toward the tail (the axis is log10(1 / (1 - p)): 90%, 99%, 99.9% are evenly spaced) so that the tail is
 * as readable as the median.
 */
final class LatencyPlot {

    private LatencyPlot() {
    }

    static void write(Histogram latencies, String title, Path file) throws IOException {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (HistogramIterationValue value : latencies.percentiles(5)) {
            double percentile = value.getPercentileLevelIteratedTo();
            if (percentile >= 100.0) {
                break;
            }
            x.add(Math.log10(100.0 / (100.0 - percentile)));
            y.add(value.getValueIteratedTo() / 1000.0);
        }
        if (x.isEmpty()) {
            x.add(0.0);
            y.add(0.0);
        }
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title)
                .xAxisTitle("percentile").yAxisTitle("latency (us)").build();
        XYStyler styler = chart.getStyler();
        styler.setxAxisTickLabelsFormattingFunction(LatencyPlot::percentileLabel);
        styler.setLegendVisible(false);
        chart.addSeries("latency", x, y).setMarker(SeriesMarkers.NONE);
        String name = file.toString();
        BitmapEncoder.saveBitmap(chart, name.endsWith(".png") ? name.substring(0, name.length() - 4) : name,
                BitmapEncoder.BitmapFormat.PNG);
    }

    private static String percentileLabel(double nines) {
        double percentile = 100.0 - 100.0 / Math.pow(10, nines);
        return String.format(Locale.ROOT, "%s%%", trim(percentile));
    }

    private static String trim(double percentile) {
        String text = String.format(Locale.ROOT, "%.3f", percentile);
        text = text.replaceAll("0+$", "");
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
