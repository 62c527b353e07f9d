package io.selectors4j.select;

import io.selectors4j.sys.ReadinessProbe;

/** Python's {@code select.epoll}. */
public final class Epoll {
    private static final boolean AVAILABLE = ReadinessProbe.epoll();

    /** Whether {@code epoll} works on this machine (tried once, on first use of this class). */
    public static boolean isAvailable() {
        return AVAILABLE;
    }
}
