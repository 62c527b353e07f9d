package io.selectors4j.select;

import io.selectors4j.Selectable;
import java.time.Duration;

/** Turning arguments into descriptor numbers and timeouts the way Python's select module does. */
final class Descriptors {
    private Descriptors() {
    }

    /** {@code fd} itself when it is not negative. */
    static int check(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("file descriptor cannot be a negative integer (" + fd + ")");
        }
        return fd;
    }

    /** The descriptor of {@code object}, asked once. */
    static int of(Selectable object) {
        return check(object.fileno());
    }

    /**
     * A timeout in nanoseconds, the unit every wait below takes: -1 (block) for {@code null} or a
     * negative duration, saturating at {@link Long#MAX_VALUE}.
     */
    static long timeoutNanos(Duration timeout) {
        return timeout == null || timeout.isNegative() ? -1 : nanos(timeout);
    }

    /** A timeout in milliseconds (Python's poll) in nanoseconds: -1 for a negative one, saturating. */
    static long timeoutNanos(long millis) {
        if (millis < 0) {
            return -1;
        }
        return millis > Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : millis * 1_000_000;
    }

    /** A timeout in nanoseconds, saturating at {@link Long#MAX_VALUE}. */
    static long nanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
