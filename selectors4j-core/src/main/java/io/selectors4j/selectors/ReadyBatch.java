package io.selectors4j.selectors;

import java.util.Arrays;

/**
 * What one wait found, written by the backend and read by the selector once the wait is over: each
 * ready descriptor with its events (in {@link Events} bits) and the generation its registration had
 * when the wait saw it, and each descriptor found dead with the errno to report. Keys are looked up
 * only after the wait, from here, so callbacks may register, modify, unregister or close freely while
 * the results are delivered. Reused int arrays: nothing is allocated per wait or per event once they
 * have grown to the largest batch seen.
 */
final class ReadyBatch {
    private int[] fds = new int[64];
    private int[] events = new int[64];
    private int[] generations = new int[64];
    private int readyCount;
    private int[] deadFds = new int[8];
    private int[] deadErrnos = new int[8];
    private int deadCount;

    /** Forgets what the last wait found. */
    void clear() {
        readyCount = 0;
        deadCount = 0;
    }

    /** Forgets the dead descriptors only, once the selector has removed their keys. */
    void clearDead() {
        deadCount = 0;
    }

    /** {@code fd}, registered with {@code generation}, is ready for {@code readyEvents}. */
    void addReady(int fd, int readyEvents, int generation) {
        if (readyCount == fds.length) {
            fds = Arrays.copyOf(fds, readyCount * 2);
            events = Arrays.copyOf(events, readyCount * 2);
            generations = Arrays.copyOf(generations, readyCount * 2);
        }
        fds[readyCount] = fd;
        events[readyCount] = readyEvents;
        generations[readyCount++] = generation;
    }

    /** The key at {@code fd} is dead: its descriptor is closed, or names another file now. */
    void addDead(int fd, int errno) {
        if (deadCount == deadFds.length) {
            deadFds = Arrays.copyOf(deadFds, deadCount * 2);
            deadErrnos = Arrays.copyOf(deadErrnos, deadCount * 2);
        }
        deadFds[deadCount] = fd;
        deadErrnos[deadCount++] = errno;
    }

    /** Whether {@code fd} was reported dead in this batch (a short scan: dead keys are rare). */
    boolean isDead(int fd) {
        for (int i = 0; i < deadCount; i++) {
            if (deadFds[i] == fd) {
                return true;
            }
        }
        return false;
    }

    int readyCount() {
        return readyCount;
    }

    int fd(int i) {
        return fds[i];
    }

    int events(int i) {
        return events[i];
    }

    int generation(int i) {
        return generations[i];
    }

    int deadCount() {
        return deadCount;
    }

    int deadFd(int i) {
        return deadFds[i];
    }

    int deadErrno(int i) {
        return deadErrnos[i];
    }
}
