package io.selectors4j.bench.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The comparison's bar charts: one group per workload, one bar per server, each figure (a median over
 * the rounds) divided by the best server's in that workload, so that workloads of very different
 * magnitudes share one linear axis.
 */
final class Charts {

    private Charts() {
    }

    /**
     * Writes {@code file} (a PNG) charting {@code figure} relative to the best of each workload: the
     * highest when {@code higherIsBetter}, else the lowest; the best is 1.
     */
    static void write(Results results, String title, String axis, ToDoubleFunction<Sample> figure,
                      boolean higherIsBetter, Path file) throws IOException {
        Set<String> servers = new LinkedHashSet<>();
        List<String> workloads = new ArrayList<>();
        for (Map.Entry<Workload, Map<String, List<Sample>>> entry : results.samples().entrySet()) {
            workloads.add("(" + entry.getKey().id() + ")");
            servers.addAll(entry.getValue().keySet());
        }
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(520).title(title)
                .xAxisTitle("workload").yAxisTitle(axis).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setOverlapped(false);
        for (String server : servers) {
            List<Double> values = new ArrayList<>();
            for (Map<String, List<Sample>> byServer : results.samples().values()) {
                double best = byServer.values().stream().mapToDouble(rounds -> Results.median(rounds, figure))
                        .filter(v -> !Double.isNaN(v) && v > 0)
                        .reduce(higherIsBetter ? Math::max : Math::min).orElse(Double.NaN);
                List<Sample> rounds = byServer.get(server);
                double value = rounds == null ? Double.NaN : Results.median(rounds, figure) / best;
                values.add(Double.isNaN(value) ? 0.0 : value);
            }
            chart.addSeries(server, workloads, values);
        }
        String name = file.toString();
        BitmapEncoder.saveBitmap(chart, name.substring(0, name.length() - ".png".length()),
                BitmapEncoder.BitmapFormat.PNG);
    }
}
