package io.selectors4j.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketAddress;

/**
 * Where one {@link Sqe#accept} writes the peer's address: a {@code sockaddr_storage} and its length,
 * in native memory. One accept in flight per instance.
 */
public final class AcceptAddress {
    private static final long STORAGE = Structs.SOCKADDR_STORAGE.byteSize();

    private final MemorySegment memory;

    /** An address buffer in {@code arena}'s memory, which must outlive the accepts that use it. */
    AcceptAddress(Arena arena) {
        memory = arena.allocate(STORAGE + Integer.BYTES, Long.BYTES);
    }

    /** Readies the buffer for the next accept: its capacity goes in the length. */
    public void prepare() {
        memory.set(ValueLayout.JAVA_INT, STORAGE, (int) STORAGE);
    }

    /** The address the kernel writes into, for {@link Sqe#accept}. */
    public long address() {
        return memory.address();
    }

    /** The address of the length, for {@link Sqe#accept}. */
    public long lengthAddress() {
        return memory.address() + STORAGE;
    }

    /** The peer the last accept wrote. */
    public SocketAddress peer() {
        return SockAddrs.decode(memory, memory.get(ValueLayout.JAVA_INT, STORAGE));
    }
}
