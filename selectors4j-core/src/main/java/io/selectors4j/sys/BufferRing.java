package io.selectors4j.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.selectors4j.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * A provided-buffer ring: {@code count} buffers of {@code bufferSize} bytes that the kernel picks from
 * when a receive with buffer selection ({@link Sqe#recvMultishot}) has data, so a connection holds a
 * buffer only while data it received waits to be consumed. The completion names the buffer it used
 * ({@link #bufferId}); once its bytes are consumed, {@link #recycle} puts it back and {@link #publish}
 * hands every recycled buffer to the kernel with one release-ordered store of the ring's tail.
 *
 * <p>When every buffer is out, a multishot receive ends with ENOBUFS: recycle, then submit it again;
 * no data is lost, it waits in the socket. Used by the ring's thread only.
 */
public final class BufferRing implements AutoCloseable {
    private static final VarHandle TAIL = JAVA_SHORT.varHandle();
    private static final long ENTRY_SIZE = Structs.IO_URING_BUF.byteSize();
    private static final long ADDR = Structs.offset(Structs.IO_URING_BUF, "addr");
    private static final long LEN = Structs.offset(Structs.IO_URING_BUF, "len");
    private static final long BID = Structs.offset(Structs.IO_URING_BUF, "bid");
    /** The tail overlays the {@code resv} field of entry 0. */
    private static final long TAIL_OFFSET = Structs.offset(Structs.IO_URING_BUF, "resv");

    private final IoUring ring;
    private final int group;
    private final int count;
    private final int bufferSize;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment entries;
    private final MemorySegment buffers;
    private int localTail;
    private boolean closed;

    /**
     * Registers group {@code group} on {@code ring} with {@code count} buffers (a power of two up to
     * 32,768) of {@code bufferSize} bytes, all handed to the kernel at once.
     */
    public BufferRing(IoUring ring, int group, int count, int bufferSize) throws NativeIOException {
        if (count <= 0 || count > IoUringAbi.PBUF_RING_MAX_ENTRIES || Integer.bitCount(count) != 1) {
            throw new IllegalArgumentException("buffer count must be a power of two up to 32768: " + count);
        }
        if (bufferSize <= 0 || group < 0 || group > 0xFFFF) {
            throw new IllegalArgumentException("bad buffer size " + bufferSize + " or group " + group);
        }
        this.ring = ring;
        this.group = group;
        this.count = count;
        this.bufferSize = bufferSize;
        try {
            MemorySegment state = Libc.newCallState(arena);
            // page-aligned, as the kernel requires of the ring; the buffers' pages are touched only when used
            entries = MappedMemory.anonymous(arena, state, count * ENTRY_SIZE);
            buffers = MappedMemory.anonymous(arena, state, (long) count * bufferSize);
            MemorySegment registration = arena.allocate(Structs.IO_URING_BUF_REG);
            registration.set(JAVA_LONG, Structs.offset(Structs.IO_URING_BUF_REG, "ring_addr"), entries.address());
            registration.set(JAVA_INT, Structs.offset(Structs.IO_URING_BUF_REG, "ring_entries"), count);
            registration.set(JAVA_SHORT, Structs.offset(Structs.IO_URING_BUF_REG, "bgid"), (short) group);
            ring.register(IoUringAbi.REGISTER_PBUF_RING, registration.address(), 1);
        } catch (NativeIOException | RuntimeException e) {
            arena.close();
            throw e;
        }
        for (int id = 0; id < count; id++) {
            recycle(id);
        }
        publish();
    }

    /** The buffer group id that receives name in {@link Sqe#recvMultishot}. */
    public int group() {
        return group;
    }

    /** How many buffers the ring has. */
    public int count() {
        return count;
    }

    /** The size of each buffer. */
    public int bufferSize() {
        return bufferSize;
    }

    /** The id of the buffer a completion used (valid when its flags have {@code CQE_F_BUFFER}). */
    public static int bufferId(int completionFlags) {
        return completionFlags >>> IoUringAbi.CQE_BUFFER_SHIFT;
    }

    /** Whether a completion's flags say it filled a provided buffer. */
    public static boolean hasBuffer(int completionFlags) {
        return (completionFlags & IoUringAbi.CQE_F_BUFFER) != 0;
    }

    /** All the buffers, buffer {@code id} at byte {@code id * bufferSize()}. */
    public MemorySegment memory() {
        return buffers;
    }

    /** The native address of buffer {@code id}. */
    public long address(int id) {
        return buffers.address() + (long) id * bufferSize;
    }

    /** Queues buffer {@code id} to go back to the kernel at the next {@link #publish()}. */
    public void recycle(int id) {
        long entry = (localTail & (count - 1)) * ENTRY_SIZE;
        entries.set(JAVA_LONG, entry + ADDR, address(id));
        entries.set(JAVA_INT, entry + LEN, bufferSize);
        entries.set(JAVA_SHORT, entry + BID, (short) id);
        localTail++;
    }

    /** Hands the recycled buffers to the kernel: the entries are written before the tail that shows them. */
    public void publish() {
        TAIL.setRelease(entries, TAIL_OFFSET, (short) localTail);
    }

    /**
     * Unregisters the group and frees its memory. Only once no receive that may select from it is in
     * flight (cancel them and reap their completions first), or after the ring itself is closed and its
     * operations are gone. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment registration = scratch.allocate(Structs.IO_URING_BUF_REG);
            registration.set(JAVA_SHORT, Structs.offset(Structs.IO_URING_BUF_REG, "bgid"), (short) group);
            ring.register(IoUringAbi.UNREGISTER_PBUF_RING, registration.address(), 1);
        } catch (NativeIOException | IllegalStateException ringClosed) {
            // the ring is gone, and the registration with it
        } finally {
            arena.close();
        }
    }
}
