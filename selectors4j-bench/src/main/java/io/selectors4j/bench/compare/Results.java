package io.selectors4j.bench.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Everything the comparison gathered: samples by workload and server, skips, failures, idle memory. */
final class Results {
    private final Map<Workload, Map<String, List<Sample>>> samples = new LinkedHashMap<>();
    private final Map<String, String> skipped = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final Map<String, IdleMemory.Growth> idle = new LinkedHashMap<>();

    void add(Workload workload, String server, Sample sample) {
        samples.computeIfAbsent(workload, w -> new LinkedHashMap<>())
                .computeIfAbsent(server, s -> new ArrayList<>()).add(sample);
    }

    void skip(String server, String reason) {
        skipped.put(server, reason);
    }

    boolean isSkipped(String server) {
        return skipped.containsKey(server);
    }

    void fail(String what) {
        failures.add(what);
    }

    void idle(String server, IdleMemory.Growth growth) {
        idle.put(server, growth);
    }

    Map<Workload, Map<String, List<Sample>>> samples() {
        return samples;
    }

    Map<String, String> skipped() {
        return skipped;
    }

    List<String> failures() {
        return failures;
    }

    Map<String, IdleMemory.Growth> idle() {
        return idle;
    }

    /** The median of one figure over the rounds, NaN when no round has it. */
    static double median(List<Sample> rounds, ToDoubleFunction<Sample> figure) {
        double[] values = rounds.stream().mapToDouble(figure).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /** The lowest and highest of one figure over the rounds. */
    static double[] range(List<Sample> rounds, ToDoubleFunction<Sample> figure) {
        double[] values = rounds.stream().mapToDouble(figure).filter(v -> !Double.isNaN(v)).toArray();
        return values.length == 0 ? new double[] {Double.NaN, Double.NaN}
                : new double[] {Arrays.stream(values).min().orElseThrow(), Arrays.stream(values).max().orElseThrow()};
    }
}
