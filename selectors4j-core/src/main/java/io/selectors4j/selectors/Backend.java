package io.selectors4j.selectors;

import io.selectors4j.select.Epoll;
import io.selectors4j.select.Poll;
import io.selectors4j.select.Select;

/** The readiness calls a {@link Selector} can be built on, best first. */
public enum Backend {
    /** Linux epoll: O(ready) per wait, any number of descriptors. */
    EPOLL,
    /** poll(2): O(registered) per wait, any number of descriptors. */
    POLL,
    /** select(2): O(highest fd) per wait, descriptors below 1024 only. */
    SELECT;

    /** Whether this call works on this machine (tried once). */
    public boolean isAvailable() {
        return switch (this) {
            case EPOLL -> Epoll.isAvailable();
            case POLL -> Poll.isAvailable();
            case SELECT -> Select.isAvailable();
        };
    }

    /** The best backend that works here: epoll, then poll, then select. */
    public static Backend best() {
        for (Backend backend : values()) {
            if (backend.isAvailable()) {
                return backend;
            }
        }
        throw new UnsupportedOperationException("none of epoll, poll and select works on this machine");
    }
}
