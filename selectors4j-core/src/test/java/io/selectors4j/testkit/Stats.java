package io.selectors4j.testkit;

import java.util.Arrays;

/** Small statistics over measured values. */
public final class Stats {
    private Stats() {
    }

    /** The median of {@code values} (the upper one of the two middle values when there is an even number). */
    public static long median(long[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
