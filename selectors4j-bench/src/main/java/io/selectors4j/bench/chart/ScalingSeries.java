package io.selectors4j.bench.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The selector-scaling figures of a JMH JSON result file: for each selector, the time of one select
 * (in the run's unit, nanoseconds here) against the number of registered descriptors, for one number
 * of ready ones.
 */
final class ScalingSeries {
    private static final String PACKAGE = "io.selectors4j.bench.";

    private ScalingSeries() {
    }

    /**
     * Reads {@code results} and keeps the scaling benchmarks with {@code ready} ready descriptors.
     *
     * @return selector name → (registered → score), in a stable order of first appearance
     * @throws IllegalArgumentException if the file holds no scaling result for {@code ready}
     */
    static Map<String, SortedMap<Integer, Double>> read(Path results, int ready) throws IOException {
        JsonNode runs = new ObjectMapper().readTree(results.toFile());
        Map<String, SortedMap<Integer, Double>> series = new LinkedHashMap<>();
        for (JsonNode run : runs) {
            JsonNode params = run.path("params");
            String name = selectorName(run.path("benchmark").asText(), params.path("backend").asText());
            if (name == null || params.path("ready").asInt(-1) != ready) {
                continue;
            }
            series.computeIfAbsent(name, n -> new TreeMap<>())
                    .put(params.path("registered").asInt(), run.path("primaryMetric").path("score").asDouble());
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException(results + " holds no selector-scaling result with ready=" + ready);
        }
        return series;
    }

    /** The line's label for a scaling benchmark, or {@code null} for any other benchmark. */
    private static String selectorName(String benchmark, String backend) {
        return switch (benchmark.startsWith(PACKAGE) ? benchmark.substring(PACKAGE.length()) : benchmark) {
            case "SelectorSelectBenchmark.select" -> "selectors4j " + backend.toLowerCase(Locale.ROOT);
            case "SelectSelectorBenchmark.select" -> "selectors4j select";
            case "NioSelectorBenchmark.selectNow" -> "java.nio selectNow (epoll)";
            default -> null;
        };
    }
}
