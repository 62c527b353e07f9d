package io.selectors4j.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.selectors4j.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A native {@code struct pollfd} array for {@code poll()}, reused from call to call and grown only
 * when more entries are needed. Its memory is released by the garbage collector, so a wait still
 * running on another thread can never see it freed. One thread waits at a time (the owner's rule), so
 * the buffer keeps its own errno capture segment and a wait does no {@code ThreadLocal} lookup.
 */
public final class PollFdBuffer {
    private static final long SIZE = Structs.POLLFD.byteSize();
    private static final long FD = Structs.offset(Structs.POLLFD, "fd");
    private static final long EVENTS = Structs.offset(Structs.POLLFD, "events");
    private static final long REVENTS = Structs.offset(Structs.POLLFD, "revents");

    private final MemorySegment callState = Libc.newCallState(Arena.ofAuto());
    private MemorySegment segment;
    private int capacity;

    /** An array with room for {@code capacity} entries (at least one). */
    public PollFdBuffer(int capacity) {
        this.capacity = Math.max(1, capacity);
        this.segment = Arena.ofAuto().allocate(SIZE * this.capacity);
    }

    /** Makes room for {@code count} entries; when it has to grow, the current entries are dropped. */
    public void reserve(int count) {
        if (count > capacity) {
            capacity = Math.max(count, capacity * 2);
            segment = Arena.ofAuto().allocate(SIZE * capacity);
        }
    }

    /** The number of entries the array holds without growing. */
    public int capacity() {
        return capacity;
    }

    /** Sets entry {@code index} to watch {@code fd} for {@code events}, clearing its {@code revents}. */
    public void set(int index, int fd, int events) {
        long base = SIZE * index;
        segment.set(JAVA_INT, base + FD, fd);
        segment.set(JAVA_SHORT, base + EVENTS, (short) events);
        segment.set(JAVA_SHORT, base + REVENTS, (short) 0);
    }

    /** The descriptor of entry {@code index}. */
    public int fd(int index) {
        return segment.get(JAVA_INT, SIZE * index + FD);
    }

    /** The events the last {@link #poll} returned for entry {@code index}, as an unsigned value. */
    public int revents(int index) {
        return Short.toUnsignedInt(segment.get(JAVA_SHORT, SIZE * index + REVENTS));
    }

    /** {@code poll()} on the first {@code count} entries for up to {@code timeoutNanos}; see {@link Waits#poll}. */
    public int poll(int count, long timeoutNanos) throws NativeIOException {
        return Waits.poll(callState, segment, count, timeoutNanos);
    }
}
