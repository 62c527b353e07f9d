package io.selectors4j.sys;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;

/**
 * A small per-thread cache of memory segments over Java arrays and direct buffers, so that a program
 * that reads into or writes from the same buffer at the same offset call after call passes the same
 * segment each time and allocates nothing (a new wrapper per call is not removed by escape analysis
 * around a downcall).
 *
 * <p>Each segment starts at the cached offset and runs to the end of the array or buffer, so it covers
 * any length a caller may pass from that offset. Entries are held weakly: the cache never keeps a
 * buffer alive, and a garbage collection merely empties it.
 */
final class HeapSlices {
    private static final int SIZE = 4;

    private record Entry(Object base, long offset, MemorySegment slice) {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private final WeakReference<Entry>[] entries = new WeakReference[SIZE];
    private int next;

    /** A segment over {@code array} from {@code offset} to its end. */
    MemorySegment ofArray(byte[] array, int offset) {
        MemorySegment hit = find(array, offset);
        return hit != null ? hit : remember(array, offset, MemorySegment.ofArray(array).asSlice(offset));
    }

    /** A segment over a direct buffer from its position to its capacity. */
    MemorySegment ofDirect(ByteBuffer buffer) {
        int position = buffer.position();
        MemorySegment hit = find(buffer, position);
        return hit != null ? hit
                : remember(buffer, position, MemorySegment.ofBuffer(buffer.duplicate().clear()).asSlice(position));
    }

    private MemorySegment find(Object base, long offset) {
        for (WeakReference<Entry> ref : entries) {
            Entry entry = ref == null ? null : ref.get();
            if (entry != null && entry.base == base && entry.offset == offset) {
                return entry.slice;
            }
        }
        return null;
    }

    private MemorySegment remember(Object base, long offset, MemorySegment slice) {
        entries[next] = new WeakReference<>(new Entry(base, offset, slice));
        next = (next + 1) % SIZE;
        return slice;
    }
}
