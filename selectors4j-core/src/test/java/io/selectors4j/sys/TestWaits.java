package io.selectors4j.sys;

import io.selectors4j.Selectable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

/**
 * Test helpers that need the native layer: waits for a descriptor to become ready with one bounded
 * {@code poll}, and reads a descriptor's close-on-exec flag. (Waiting for a thread to block is
 * {@link io.selectors4j.testkit.ThreadWaits}.)
 */
public final class TestWaits {
    /** poll's "readable" bit. */
    public static final short POLLIN = (short) Platform.POLLIN;
    /** poll's "urgent data" bit. */
    public static final short POLLPRI = (short) Platform.POLLPRI;
    /** poll's "writable" bit. */
    public static final short POLLOUT = (short) Platform.POLLOUT;

    private TestWaits() {
    }

    /** The events reported for {@code target} within {@code timeout}, 0 when none. */
    public static int poll(Selectable target, int events, Duration timeout) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(Structs.POLLFD);
            pfd.set(ValueLayout.JAVA_INT, 0, target.fileno());
            pfd.set(ValueLayout.JAVA_SHORT, Structs.offset(Structs.POLLFD, "events"), (short) events);
            int n = Libc.poll(pfd, 1, (int) timeout.toMillis());
            if (n < 0) {
                throw new IllegalStateException("poll failed, errno " + Libc.errno());
            }
            return n == 0 ? 0 : pfd.get(ValueLayout.JAVA_SHORT, Structs.offset(Structs.POLLFD, "revents"));
        }
    }

    /** Whether the descriptor has close-on-exec set. */
    public static boolean isCloseOnExec(Selectable target) throws Exception {
        return FileCalls.isCloseOnExec(target.fileno());
    }
}
