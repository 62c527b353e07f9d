package io.selectors4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits, read from /proc, until a thread is really blocked in the kernel (asleep in a system call),
 * so that a test proves that what it does next ends a wait that had begun, not one about to begin.
 */
public final class ThreadWaits {
    private ThreadWaits() {
    }

    /** The kernel thread id of the calling (platform) thread. */
    public static int currentThreadId() {
        try {
            // "/proc/thread-self" links to "PID/task/TID"
            return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until thread {@code tid} of this process sleeps in a system call other than a futex wait
     * (a JVM lock): blocked in select, poll, epoll_wait or a read, say. Fails after {@code limit}.
     */
    public static void untilBlockedInKernel(int tid, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (Proc.threadState(tid) != 'S' || Proc.waitChannel(tid).contains("futex")) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("thread " + tid + " did not block within " + limit);
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Waits until the thread whose native name is {@code name} (at most 15 characters) is asleep in a
     * kernel function whose name contains {@code function} (its wchan, such as {@code inet_csk_accept}):
     * it is inside that system call, not merely on its way. Fails after {@code limit}.
     */
    public static void untilSleepingIn(String name, String function, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            OptionalInt tid = Proc.threadNamed(name);
            if (tid.isPresent() && Proc.threadState(tid.getAsInt()) == 'S'
                    && Proc.waitChannel(tid.getAsInt()).contains(function)) {
                return;
            }
            LockSupport.parkNanos(1_000_000);
        }
        throw new AssertionError("thread " + name + " did not block in " + function + " within " + limit);
    }
}
