package io.selectors4j.sys;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * What the calls on one descriptor reuse from call to call, so the hot path does no
 * {@code ThreadLocal} lookup and allocates nothing: the last calling thread's scratch memory (a hit
 * costs one field read and one compare), and the segments over the last two Java arrays moved in
 * place and the last two direct buffers: two, because a connection commonly reads into one buffer and
 * writes from another, and alternating between them must not allocate.
 *
 * <p>One per descriptor-owning object, shared by every thread that calls it. Each cache is one field
 * holding an immutable object (or one whose mutable parts only its owner thread touches), read once
 * per call: a racing thread at worst misses and refreshes it.
 */
public final class CallContext {
    private record ArraySegment(byte[] array, MemorySegment segment) {
    }

    private record DirectSegment(ByteBuffer buffer, MemorySegment segment) {
    }

    private ThreadScratch scratch;
    private ArraySegment lastArray;
    private ArraySegment previousArray;
    private DirectSegment lastDirect;
    private DirectSegment previousDirect;

    /** A context with empty caches. */
    public CallContext() {
    }

    /** The calling thread's scratch. */
    ThreadScratch scratch() {
        ThreadScratch s = scratch;
        if (s != null && s.owner == Thread.currentThread()) {
            return s;
        }
        s = ThreadScratch.get();
        scratch = s;
        return s;
    }

    /** A segment over the whole of {@code array}, the same one call after call for the same array. */
    MemorySegment wholeArray(byte[] array) {
        ArraySegment last = lastArray;
        if (last != null && last.array == array) {
            return last.segment;
        }
        ArraySegment previous = previousArray;
        if (previous != null && previous.array == array) {
            return previous.segment;
        }
        ArraySegment fresh = new ArraySegment(array, MemorySegment.ofArray(array));
        previousArray = last;
        lastArray = fresh;
        return fresh.segment;
    }

    /**
     * A segment over the whole capacity of a direct buffer, the same one call after call for the same
     * buffer; its scope tells whether the memory is still there.
     */
    MemorySegment wholeDirect(ByteBuffer buffer) {
        DirectSegment last = lastDirect;
        if (last != null && last.buffer == buffer) {
            return last.segment;
        }
        DirectSegment previous = previousDirect;
        if (previous != null && previous.buffer == buffer) {
            return previous.segment;
        }
        DirectSegment fresh = new DirectSegment(buffer, MemorySegment.ofBuffer(buffer.duplicate().clear()));
        previousDirect = last;
        lastDirect = fresh;
        return fresh.segment;
    }
}
