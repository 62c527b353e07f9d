package io.selectors4j.sys;

import io.selectors4j.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Memory mapped with {@code mmap}, as a segment that is unmapped when its arena closes: the rings
 * io_uring shares with the kernel, and page-aligned memory for provided buffers. After the arena
 * closes, any use of the segment fails in Java instead of touching memory that is gone.
 */
final class MappedMemory {
    private MappedMemory() {
    }

    /** Maps {@code length} bytes of {@code fd} at {@code offset}, shared with the kernel, read and write. */
    static MemorySegment shared(Arena arena, MemorySegment state, int fd, long offset, long length)
            throws NativeIOException {
        return map(arena, state, length, Platform.MAP_SHARED | Platform.MAP_POPULATE, fd, offset);
    }

    /** {@code length} bytes of zeroed, page-aligned private memory. */
    static MemorySegment anonymous(Arena arena, MemorySegment state, long length) throws NativeIOException {
        return map(arena, state, length, Platform.MAP_PRIVATE | Platform.MAP_ANONYMOUS, -1, 0);
    }

    @SuppressWarnings("restricted") // the address and length are the kernel's answer for this mapping
    private static MemorySegment map(Arena arena, MemorySegment state, long length, int flags, int fd, long offset)
            throws NativeIOException {
        long address = Libc.mmap(state, 0, length, Platform.PROT_READ | Platform.PROT_WRITE, flags, fd, offset);
        if (address == -1) {
            throw new NativeIOException("mmap", Libc.errno(state));
        }
        return MemorySegment.ofAddress(address)
                .reinterpret(length, arena, unmapped -> Libc.munmap(Libc.threadCallState(), address, length));
    }
}
