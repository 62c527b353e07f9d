package io.selectors4j.apps.bench;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Everything a load run measured: the latencies of all workers in one histogram (nanoseconds) and
 * each worker's tally.
 */
record Measurement(LoadPlan plan, Histogram latencies, List<WorkerTally> tallies) {

    long requests() {
        return tallies.stream().mapToLong(t -> t.requests).sum();
    }

    long mismatches() {
        return tallies.stream().mapToLong(t -> t.mismatches).sum();
    }

    long connectionErrors() {
        return tallies.stream().mapToLong(t -> t.connectionErrors).sum();
    }

    /** The first mismatch or lost connection in words, or null. */
    String firstProblem() {
        return tallies.stream().map(t -> t.firstProblem).filter(p -> p != null).findFirst().orElse(null);
    }
}
