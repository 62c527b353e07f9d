package io.selectors4j.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A {@code struct msghdr} with its array of {@link #CAPACITY} iovecs right after it, in native
 * memory, for one gathered {@link Sqe#sendmsg}: the kernel reads it when the send is issued, and the
 * chunks it points at until the send completes. Reused from send to send.
 */
public final class SendGather {
    /** The most buffers one gathered send takes. */
    public static final int CAPACITY = 64;
    private static final long MSGHDR_SIZE = Structs.MSGHDR.byteSize();
    private static final long MSG_IOV = Structs.offset(Structs.MSGHDR, "msg_iov");
    private static final long MSG_IOVLEN = Structs.offset(Structs.MSGHDR, "msg_iovlen");
    private static final long IOVEC_SIZE = Structs.IOVEC.byteSize();
    private static final long IOV_BASE = Structs.offset(Structs.IOVEC, "iov_base");
    private static final long IOV_LEN = Structs.offset(Structs.IOVEC, "iov_len");

    private final MemorySegment memory;

    /** A gather in {@code arena}'s memory, which must outlive every send that uses it. */
    SendGather(Arena arena) {
        memory = arena.allocate(MSGHDR_SIZE + CAPACITY * IOVEC_SIZE, Long.BYTES);
        memory.set(ValueLayout.JAVA_LONG, MSG_IOV, memory.address() + MSGHDR_SIZE);
    }

    /** Sets buffer {@code i} (below {@link #CAPACITY}) to {@code length} bytes at {@code address}. */
    public void set(int i, long address, long length) {
        long iovec = MSGHDR_SIZE + i * IOVEC_SIZE;
        memory.set(ValueLayout.JAVA_LONG, iovec + IOV_BASE, address);
        memory.set(ValueLayout.JAVA_LONG, iovec + IOV_LEN, length);
    }

    /** Sets how many buffers the send takes. */
    public void count(int count) {
        memory.set(ValueLayout.JAVA_LONG, MSG_IOVLEN, count);
    }

    /** The address of the {@code msghdr}, for {@link Sqe#sendmsg}. */
    public long address() {
        return memory.address();
    }
}
