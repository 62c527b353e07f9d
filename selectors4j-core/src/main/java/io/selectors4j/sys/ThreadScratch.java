package io.selectors4j.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Memory one thread reuses for socket, pipe and file calls, so the calls themselves allocate nothing.
 *
 * <p>Two parts. The small part (about 1.5 KiB: the errno capture segment, an address buffer with its
 * length word, option values, a descriptor pair, a pollfd, an iovec array and a stat buffer) is made
 * with the object. The {@link #BOUNCE_SIZE} bounce buffer, which only copies of heap memory need, is
 * allocated on first use: threads that move bytes from native memory, or only run non-blocking calls
 * on arrays at offset 0, never pay for it. Both are freed with the thread.
 *
 * <p>An instance belongs to its {@link #owner} thread: everything but {@link #owner} and
 * {@link #callState} may be touched by that thread only. {@link CallContext} relies on this to cache
 * the last caller's scratch in a descriptor and check it with one compare.
 */
final class ThreadScratch {
    /** Bytes a transfer through the bounce buffer moves per system call. */
    static final int BOUNCE_SIZE = 64 * 1024;

    private static final ThreadLocal<ThreadScratch> CURRENT = ThreadLocal.withInitial(ThreadScratch::new);

    final Thread owner;
    final MemorySegment callState;
    final MemorySegment address;
    final MemorySegment length;
    final MemorySegment value;
    final MemorySegment linger;
    final MemorySegment fdPair;
    final MemorySegment pollfd;
    final MemorySegment iovecs;
    final MemorySegment msghdr;
    final MemorySegment stat;
    private final Arena arena;
    private MemorySegment bounce;

    private ThreadScratch() {
        owner = Thread.currentThread();
        arena = Arena.ofAuto();
        callState = Libc.threadCallState();
        address = arena.allocate(Structs.SOCKADDR_STORAGE);
        length = arena.allocate(ValueLayout.JAVA_INT);
        value = arena.allocate(ValueLayout.JAVA_INT);
        linger = arena.allocate(Structs.LINGER);
        fdPair = arena.allocate(ValueLayout.JAVA_INT, 2);
        pollfd = arena.allocate(Structs.POLLFD);
        iovecs = arena.allocate(Structs.IOVEC, Transfers.MAX_VECTORS);
        msghdr = arena.allocate(Structs.MSGHDR); // zeroed: no address, no control data
        msghdr.set(ValueLayout.ADDRESS, Structs.offset(Structs.MSGHDR, "msg_iov"), iovecs);
        stat = arena.allocate(Structs.STAT);
    }

    /** The current thread's scratch. */
    static ThreadScratch get() {
        return CURRENT.get();
    }

    /** The bounce buffer, allocated on the first call; owner thread only. */
    MemorySegment bounce() {
        MemorySegment b = bounce;
        if (b == null) {
            b = arena.allocate(BOUNCE_SIZE, 16);
            bounce = b;
        }
        return b;
    }

    /** Whether the bounce buffer has been allocated (for tests of the lazy allocation). */
    boolean hasBounce() {
        return bounce != null;
    }
}
