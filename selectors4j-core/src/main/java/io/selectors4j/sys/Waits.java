package io.selectors4j.sys;

import io.selectors4j.NativeIOException;
import java.lang.foreign.MemorySegment;

/**
 * Waits that survive signals: {@code poll} and {@code epoll_wait} retried after EINTR with the time
 * that is left, measured on the monotonic clock ({@link System#nanoTime()}), so that a signal never
 * shortens a wait nor ends it early. Timeouts come in nanoseconds from every caller and are turned
 * into the kernel's milliseconds here only, at the call, rounded up (a 1 ns timeout waits 1 ms, never
 * 0); a timeout longer than the kernel takes is waited in several calls, so it never becomes forever.
 * Nothing here allocates, and the clock is read only when a finite positive timeout needs it: once
 * before the first call, and again only after EINTR or a return with nothing ready; a zero or blocking
 * wait never reads it.
 */
public final class Waits {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private Waits() {
    }

    /**
     * {@code poll(fds, count, timeout)} capturing errno into {@code callState}: a negative timeout
     * blocks, zero polls once, a positive one waits at least that many nanoseconds unless a descriptor
     * becomes ready.
     *
     * @return the number of entries with non-zero {@code revents}
     */
    public static int poll(MemorySegment callState, MemorySegment fds, int count, long timeoutNanos)
            throws NativeIOException {
        if (timeoutNanos <= 0) {
            int n;
            do {
                n = Libc.poll(callState, fds, count, timeoutNanos < 0 ? -1 : 0);
            } while (interrupted(callState, n, "poll"));
            return n;
        }
        long start = System.nanoTime();
        int n = Libc.poll(callState, fds, count, kernelMillis(timeoutNanos));
        while (!finished(callState, n, "poll", start, timeoutNanos)) {
            n = Libc.poll(callState, fds, count, kernelMillis(remaining(start, timeoutNanos)));
        }
        return n;
    }

    /**
     * {@code epoll_wait(epfd, events, maxEvents, timeout)} with the same timeout rules as
     * {@link #poll}, capturing errno into the thread's segment.
     *
     * @return the number of events written to {@code events}
     */
    public static int epollWait(int epfd, MemorySegment events, int maxEvents, long timeoutNanos)
            throws NativeIOException {
        return epollWait(Libc.threadCallState(), epfd, events, maxEvents, timeoutNanos);
    }

    /** {@link #epollWait(int, MemorySegment, int, long)} capturing errno into {@code callState}. */
    public static int epollWait(MemorySegment callState, int epfd, MemorySegment events, int maxEvents,
                                long timeoutNanos) throws NativeIOException {
        if (timeoutNanos <= 0) {
            int n;
            do {
                n = Libc.epollWait(callState, epfd, events, maxEvents, timeoutNanos < 0 ? -1 : 0);
            } while (interrupted(callState, n, "epoll_wait"));
            return n;
        }
        long start = System.nanoTime();
        int n = Libc.epollWait(callState, epfd, events, maxEvents, kernelMillis(timeoutNanos));
        while (!finished(callState, n, "epoll_wait", start, timeoutNanos)) {
            n = Libc.epollWait(callState, epfd, events, maxEvents, kernelMillis(remaining(start, timeoutNanos)));
        }
        return n;
    }

    /**
     * Judges one wait call that returned {@code n}: over when something is ready or the time is up,
     * not over after EINTR or an early return with time left; any other failure is thrown.
     */
    static boolean finished(int n, String call, long startNanos, long timeoutNanos) throws NativeIOException {
        return finished(Libc.threadCallState(), n, call, startNanos, timeoutNanos);
    }

    private static boolean finished(MemorySegment callState, int n, String call, long startNanos, long timeoutNanos)
            throws NativeIOException {
        if (n > 0) {
            return true;
        }
        if (n < 0 && interrupted(callState, n, call)) {
            return false;
        }
        return remaining(startNanos, timeoutNanos) == 0;
    }

    /** True after EINTR; throws any other failure; false for a result that is not a failure. */
    static boolean interrupted(MemorySegment callState, int n, String call) throws NativeIOException {
        if (n >= 0) {
            return false;
        }
        int errno = Libc.errno(callState);
        if (errno != Platform.EINTR) {
            throw new NativeIOException(call, errno);
        }
        return true;
    }

    /** The nanoseconds left of a wait of {@code timeoutNanos} begun at {@code startNanos}; never negative. */
    static long remaining(long startNanos, long timeoutNanos) {
        long left = timeoutNanos - (System.nanoTime() - startNanos);
        return left > 0 ? left : 0;
    }

    /**
     * Nanoseconds as whole milliseconds for the kernel, the one conversion on the way to a wait:
     * rounded up, at most {@link Integer#MAX_VALUE} (the caller waits again for the rest).
     */
    static int kernelMillis(long nanos) {
        long millis = nanos / NANOS_PER_MILLI + (nanos % NANOS_PER_MILLI == 0 ? 0 : 1);
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

}
