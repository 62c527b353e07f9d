package io.selectors4j.sys;

import io.selectors4j.Selectable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Test helpers: waits for a descriptor to become ready with one bounded {@code poll}, and for a thread
 * to be really blocked in the kernel (read from /proc, the way the signal tests do).
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

    /** The kernel thread id of the calling thread, for {@link #untilBlockedInKernel}. */
    public static int currentThreadId() {
        try {
            return SignalsForTests.gettid();
        } catch (Throwable t) {
            throw new IllegalStateException("gettid failed", t);
        }
    }

    /**
     * Spins until thread {@code tid} of this process sleeps in a system call other than a futex wait
     * (a JVM lock): blocked in select, poll or epoll_wait, say. Throws if that does not happen within
     * {@code limit}.
     */
    public static void untilBlockedInKernel(int tid, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (SignalsForTests.threadState(tid) != 'S' || waitChannel(tid).contains("futex")) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("thread " + tid + " did not block within " + limit);
            }
            Thread.onSpinWait();
        }
    }

    private static String waitChannel(int tid) throws IOException {
        return Files.readString(Path.of("/proc/self/task/" + tid + "/wchan"));
    }

    /** Whether the descriptor has close-on-exec set. */
    public static boolean isCloseOnExec(Selectable target) throws Exception {
        return FileCalls.isCloseOnExec(target.fileno());
    }
}
