package io.selectors4j.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Memory each thread reuses for socket, pipe and file calls: an address buffer with its length word,
 * option values, a descriptor pair, a bounce buffer for blocking transfers, an iovec array, a stat buffer and the {@link HeapSlices}
 * cache. Allocated once per thread (about 65 KiB of native memory) and freed with it, so the calls
 * themselves allocate nothing.
 */
final class ThreadScratch {
    /** Bytes a blocking transfer moves through the bounce buffer per system call. */
    static final int BOUNCE_SIZE = 64 * 1024;

    private static final ThreadLocal<ThreadScratch> CURRENT = ThreadLocal.withInitial(ThreadScratch::new);

    final MemorySegment address;
    final MemorySegment length;
    final MemorySegment value;
    final MemorySegment linger;
    final MemorySegment fdPair;
    final MemorySegment pollfd;
    final MemorySegment bounce;
    final MemorySegment iovecs;
    final MemorySegment stat;
    final HeapSlices slices = new HeapSlices();

    private ThreadScratch() {
        Arena arena = Arena.ofAuto();
        address = arena.allocate(Structs.SOCKADDR_STORAGE);
        length = arena.allocate(ValueLayout.JAVA_INT);
        value = arena.allocate(ValueLayout.JAVA_INT);
        linger = arena.allocate(Structs.LINGER);
        fdPair = arena.allocate(ValueLayout.JAVA_INT, 2);
        pollfd = arena.allocate(Structs.POLLFD);
        bounce = arena.allocate(BOUNCE_SIZE, 16);
        iovecs = arena.allocate(Structs.IOVEC, Transfers.MAX_VECTORS);
        stat = arena.allocate(Structs.STAT);
    }

    static ThreadScratch get() {
        return CURRENT.get();
    }
}
