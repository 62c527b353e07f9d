package io.selectors4j.select;

import io.selectors4j.sys.ReadinessProbe;

/** Python's {@code select.poll}. */
public final class Poll {
    private static final boolean AVAILABLE = ReadinessProbe.poll();

    /** Whether {@code poll} works on this machine (tried once, on first use of this class). */
    public static boolean isAvailable() {
        return AVAILABLE;
    }
}
