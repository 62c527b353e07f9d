package io.selectors4j.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * What /proc says about this process's threads and descriptors: lets a test wait until a named thread
 * is asleep in the kernel (in a blocking system call) instead of guessing with a sleep.
 */
final class KernelThreads {
    private KernelThreads() {
    }

    /**
     * Waits until the thread whose native name is {@code name} (at most 15 characters) is sleeping
     * (state S) in a kernel function whose name contains {@code function} (its wchan, such as
     * {@code inet_csk_accept}): it is inside that system call, not merely on its way. Fails after
     * {@code timeout}.
     */
    static void awaitSleepingIn(String name, String function, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Path task = find(name);
            if (task != null && state(task) == 'S' && wchan(task).contains(function)) {
                return;
            }
            LockSupport.parkNanos(1_000_000);
        }
        throw new AssertionError("thread " + name + " did not block in " + function + " within " + timeout);
    }

    private static String wchan(Path task) throws IOException {
        try {
            return Files.readString(task.resolve("wchan"));
        } catch (NoSuchFileException gone) {
            return "";
        }
    }

    private static Path find(String name) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals(name)) {
                        return task;
                    }
                } catch (NoSuchFileException gone) {
                    // the thread ended while listing
                }
            }
        }
        return null;
    }

    private static char state(Path task) throws IOException {
        try {
            String stat = Files.readString(task.resolve("stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (NoSuchFileException gone) {
            return '?';
        }
    }

    /** What descriptor {@code fd} refers to ({@code socket:[inode]}, {@code pipe:[inode]}...), or null when closed. */
    static String target(int fd) throws IOException {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (NoSuchFileException closed) {
            return null;
        }
    }
}
