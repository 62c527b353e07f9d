package io.selectors4j.select;

import io.selectors4j.sys.ReadinessProbe;

/** Python's {@code select.select}. */
public final class Select {
    private static final boolean AVAILABLE = ReadinessProbe.select();

    /** Whether {@code select} works on this machine (tried once, on first use of this class). */
    public static boolean isAvailable() {
        return AVAILABLE;
    }
}
