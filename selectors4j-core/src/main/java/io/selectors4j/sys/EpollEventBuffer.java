package io.selectors4j.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import io.selectors4j.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A native {@code struct epoll_event} array that {@code epoll_wait} fills, reused from call to call
 * and grown only when a larger batch is asked for. The event's data holds the descriptor in its low
 * 32 bits (a selector may keep a token in the high ones, see {@link #data}). Its memory
 * is released by the garbage collector, so a wait still running on another thread can never see it
 * freed.
 */
public final class EpollEventBuffer {
    private static final long SIZE = Structs.EPOLL_EVENT.byteSize();
    private static final long EVENTS = Structs.offset(Structs.EPOLL_EVENT, "events");
    private static final long DATA = Structs.offset(Structs.EPOLL_EVENT, "data");

    /** The most events the kernel accepts in one {@code epoll_wait} (INT_MAX / sizeof(epoll_event)). */
    public static final int KERNEL_MAX_EVENTS = (int) (Integer.MAX_VALUE / SIZE);

    /**
     * The most events one wait collects. epoll_wait may return fewer than asked, and level-triggered
     * readiness is reported again, so a larger request only waits in smaller batches.
     */
    private static final int BATCH_LIMIT = 65_536;

    private MemorySegment segment;
    private int capacity;

    /** A buffer with room for {@code capacity} events (at least one). */
    public EpollEventBuffer(int capacity) {
        this.capacity = Math.max(1, capacity);
        this.segment = Arena.ofAuto().allocate(SIZE * this.capacity);
    }

    /**
     * Makes room for {@code count} events, up to a batch limit of 65,536; when it has to grow, the
     * current events are dropped.
     */
    public void reserve(int count) {
        if (count > capacity && capacity < BATCH_LIMIT) {
            capacity = Math.min(Math.max(count, capacity * 2), BATCH_LIMIT);
            segment = Arena.ofAuto().allocate(SIZE * capacity);
        }
    }

    /**
     * {@code epoll_wait} for up to {@code maxEvents} events (at most the capacity) and up to
     * {@code timeoutNanos}; see {@link Waits#epollWait}.
     */
    public int await(int epfd, int maxEvents, long timeoutNanos) throws NativeIOException {
        return Waits.epollWait(epfd, segment, Math.min(maxEvents, capacity), timeoutNanos);
    }

    /**
     * {@link #await(int, int, long)} capturing errno into {@code callState}, a segment from
     * {@link Libc#newCallState} that the caller keeps, so the wait makes no per-thread lookup.
     */
    public int await(MemorySegment callState, int epfd, int maxEvents, long timeoutNanos) throws NativeIOException {
        return Waits.epollWait(callState, epfd, segment, Math.min(maxEvents, capacity), timeoutNanos);
    }

    /** The whole 64-bit data of event {@code index} of the last wait, as given to {@code epoll_ctl}. */
    public long data(int index) {
        return segment.get(JAVA_LONG_UNALIGNED, SIZE * index + DATA);
    }

    /** The descriptor of event {@code index} of the last wait. */
    public int fd(int index) {
        return (int) segment.get(JAVA_LONG_UNALIGNED, SIZE * index + DATA);
    }

    /** The ready events of event {@code index} of the last wait. */
    public int events(int index) {
        return segment.get(JAVA_INT, SIZE * index + EVENTS);
    }

    /**
     * One {@code epoll_wait} for up to {@code maxEvents} (at most 65,536) events into memory of its
     * own, freed before returning, so that any number of threads may call it at once.
     *
     * @return the events as pairs: descriptor at {@code 2i}, ready events at {@code 2i + 1}
     */
    public static int[] awaitOnce(int epfd, int maxEvents, long timeoutNanos) throws NativeIOException {
        int batch = Math.min(maxEvents, BATCH_LIMIT);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(SIZE * batch);
            int n = Waits.epollWait(epfd, events, batch, timeoutNanos);
            int[] pairs = new int[2 * n];
            for (int i = 0; i < n; i++) {
                pairs[2 * i] = (int) events.get(JAVA_LONG_UNALIGNED, SIZE * i + DATA);
                pairs[2 * i + 1] = events.get(JAVA_INT, SIZE * i + EVENTS);
            }
            return pairs;
        }
    }
}
