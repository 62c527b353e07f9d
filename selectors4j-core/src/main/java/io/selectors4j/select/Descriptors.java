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

    /** A timeout in whole milliseconds, rounded up; -1 (block) for {@code null} or a negative duration. */
    static long millisCeil(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            return -1;
        }
        long millis = saturatedMillis(timeout);
        boolean whole = timeout.toNanosPart() % 1_000_000 == 0;
        return whole || millis == Long.MAX_VALUE ? millis : millis + 1;
    }

    /** A timeout in nanoseconds, saturating at {@link Long#MAX_VALUE}. */
    static long nanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private static long saturatedMillis(Duration timeout) {
        try {
            return timeout.toMillis();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
