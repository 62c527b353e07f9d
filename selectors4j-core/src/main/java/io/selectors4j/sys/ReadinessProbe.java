package io.selectors4j.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Tries each readiness call once, the way Python's {@code DefaultSelector} does, to tell whether it
 * works on this machine.
 */
public final class ReadinessProbe {
    private ReadinessProbe() {
    }

    /** Whether {@code select()} with no descriptors and a zero timeout succeeds. */
    public static boolean select() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment zero = arena.allocate(Structs.TIMEVAL);
            return Libc.select(0, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, zero) >= 0;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Whether {@code poll()} with no descriptors and a zero timeout succeeds. */
    public static boolean poll() {
        try {
            return Libc.poll(MemorySegment.NULL, 0, 0) >= 0;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Whether an epoll instance can be created (and is closed again at once). */
    public static boolean epoll() {
        try {
            int fd = Libc.epollCreate1(Platform.EPOLL_CLOEXEC);
            if (fd < 0) {
                return false;
            }
            Libc.close(fd);
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
