package io.selectors4j.select;

import java.lang.reflect.Method;

/**
 * Measures heap allocation of the current thread with HotSpot's per-thread allocation counter, found
 * by reflection because the library module does not read {@code java.management}.
 */
final class Allocations {
    private static final int ROUNDS = 40;
    private static final int CALLS_PER_ROUND = 10_000;

    private Allocations() {
    }

    /**
     * The average bytes allocated by one run of {@code action} in steady state: the least over rounds
     * of many calls, so that rounds run before the JIT compiler has finished do not count.
     */
    static double bytesPerCall(Runnable action) throws ReflectiveOperationException {
        Object threads = Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getThreadMXBean").invoke(null);
        Method allocated = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getThreadAllocatedBytes", long.class);
        long id = Thread.currentThread().threadId();
        double least = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS && least >= 1; round++) {
            long before = (long) allocated.invoke(threads, id);
            for (int i = 0; i < CALLS_PER_ROUND; i++) {
                action.run();
            }
            long after = (long) allocated.invoke(threads, id);
            least = Math.min(least, (after - before) / (double) CALLS_PER_ROUND);
        }
        return least;
    }
}
