package io.selectors4j.select;

import java.lang.reflect.Method;

/**
 * Measures heap allocation of the current thread with HotSpot's per-thread allocation counter, found
 * by reflection because the library module does not read {@code java.management}.
 */
final class Allocations {
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 10_000;

    private Allocations() {
    }

    /** The average bytes allocated by one run of {@code action}, after a warm-up. */
    static double bytesPerCall(Runnable action) throws ReflectiveOperationException {
        Object threads = Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getThreadMXBean").invoke(null);
        Method allocated = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getThreadAllocatedBytes", long.class);
        long id = Thread.currentThread().threadId();
        for (int i = 0; i < WARM_UP; i++) {
            action.run();
        }
        long before = (long) allocated.invoke(threads, id);
        for (int i = 0; i < MEASURED; i++) {
            action.run();
        }
        long after = (long) allocated.invoke(threads, id);
        return (after - before) / (double) MEASURED;
    }
}
