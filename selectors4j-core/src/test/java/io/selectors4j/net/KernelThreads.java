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
     * (state S) in the kernel; fails after {@code timeout}.
     */
    static void awaitSleeping(String name, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Path task = find(name);
            if (task != null && state(task) == 'S') {
                return;
            }
            LockSupport.parkNanos(1_000_000);
        }
        throw new AssertionError("thread " + name + " did not block in the kernel within " + timeout);
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
