package io.selectors4j.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;

/**
 * The submission queue entry being written: one reused object per ring that {@link IoUring#sqe()}
 * points at the next free slot, already zeroed. Each method fills in one operation and returns this
 * entry, so flags can follow ({@code ring.sqe().send(...).flags(IOSQE_IO_LINK)}). The entry goes to
 * the kernel with the ring's next submit; the object is valid until the next {@code sqe()} call.
 *
 * <p>{@code userData} comes back in the operation's completions. selectors4j puts a
 * {@link CompletionToken} there (operation, slot, generation), never a bare descriptor number: a
 * completion that arrives after its connection closed must not reach whatever now owns the number.
 * Addresses are native addresses the caller keeps valid until the operation completes.
 */
public final class Sqe {
    private static final long OPCODE = Structs.offset(Structs.IO_URING_SQE, "opcode");
    private static final long FLAGS = Structs.offset(Structs.IO_URING_SQE, "flags");
    private static final long IOPRIO = Structs.offset(Structs.IO_URING_SQE, "ioprio");
    private static final long FD = Structs.offset(Structs.IO_URING_SQE, "fd");
    private static final long OFF = Structs.offset(Structs.IO_URING_SQE, "off");
    private static final long ADDR = Structs.offset(Structs.IO_URING_SQE, "addr");
    private static final long LEN = Structs.offset(Structs.IO_URING_SQE, "len");
    private static final long OP_FLAGS = Structs.offset(Structs.IO_URING_SQE, "op_flags");
    private static final long USER_DATA = Structs.offset(Structs.IO_URING_SQE, "user_data");
    private static final long BUF_GROUP = Structs.offset(Structs.IO_URING_SQE, "buf_group");
    static final long SIZE = Structs.IO_URING_SQE.byteSize();

    private final MemorySegment entries;
    private long base;

    Sqe(MemorySegment entries) {
        this.entries = entries;
    }

    /** Points this writer at the entry at {@code offset} and zeroes it. */
    Sqe at(long offset) {
        base = offset;
        for (long word = 0; word < SIZE; word += Long.BYTES) {
            entries.set(JAVA_LONG, offset + word, 0L);
        }
        return this;
    }

    /** Adds SQE flags ({@code IoUringAbi.IOSQE_*}) to the operation just written. */
    public Sqe flags(int flags) {
        entries.set(JAVA_BYTE, base + FLAGS, (byte) (entries.get(JAVA_BYTE, base + FLAGS) | flags));
        return this;
    }

    /** Does nothing and completes with 0: for tests and for a completion on demand. */
    public Sqe nop(long userData) {
        return op(IoUringAbi.OP_NOP, -1, userData);
    }

    /**
     * Accepts one connection on {@code listenFd}: its result the new descriptor (opened with
     * {@code acceptFlags}), the peer's address written at {@code address}, whose capacity the int at
     * {@code lengthAddress} gives and which it then holds the length of. Out of descriptors it fails
     * at once with EMFILE, whether a connection is pending or not.
     */
    public Sqe accept(int listenFd, long address, long lengthAddress, int acceptFlags, long userData) {
        op(IoUringAbi.OP_ACCEPT, listenFd, userData);
        entries.set(JAVA_LONG, base + ADDR, address);
        entries.set(JAVA_LONG, base + OFF, lengthAddress);
        entries.set(JAVA_INT, base + OP_FLAGS, acceptFlags);
        return this;
    }

    /**
     * Accepts connections on {@code listenFd} until cancelled or failed: one completion per
     * connection, its result the new descriptor (opened with {@code acceptFlags}: SOCK_CLOEXEC,
     * SOCK_NONBLOCK) and {@code CQE_F_MORE} set while it stays armed. A failure such as EMFILE ends it.
     */
    public Sqe acceptMultishot(int listenFd, int acceptFlags, long userData) {
        op(IoUringAbi.OP_ACCEPT, listenFd, userData);
        entries.set(JAVA_SHORT, base + IOPRIO, (short) IoUringAbi.ACCEPT_MULTISHOT);
        entries.set(JAVA_INT, base + OP_FLAGS, acceptFlags);
        return this;
    }

    /**
     * Receives on {@code fd} until cancelled, failed or at end of stream, each completion into a
     * buffer the kernel takes from provided-buffer group {@code group} (its id in the upper 16 bits of
     * the flags, with {@code CQE_F_BUFFER}). A connection holds no buffer while no data arrives. When
     * the group runs dry the operation ends with ENOBUFS and must be submitted again.
     */
    public Sqe recvMultishot(int fd, int group, long userData) {
        op(IoUringAbi.OP_RECV, fd, userData);
        entries.set(JAVA_SHORT, base + IOPRIO, (short) IoUringAbi.RECV_MULTISHOT);
        entries.set(JAVA_BYTE, base + FLAGS, (byte) IoUringAbi.IOSQE_BUFFER_SELECT);
        entries.set(JAVA_SHORT, base + BUF_GROUP, (short) group);
        return this;
    }

    /**
     * One receive on {@code fd} into a buffer the kernel takes from provided-buffer group
     * {@code group}: what a bulk connection submits for each of its turns, so that it holds at most one
     * buffer. ENOBUFS when the group is dry.
     */
    public Sqe recvOnce(int fd, int group, long userData) {
        op(IoUringAbi.OP_RECV, fd, userData);
        entries.set(JAVA_BYTE, base + FLAGS, (byte) IoUringAbi.IOSQE_BUFFER_SELECT);
        entries.set(JAVA_SHORT, base + BUF_GROUP, (short) group);
        return this;
    }

    /** One receive of up to {@code length} bytes into {@code address}. */
    public Sqe recv(int fd, long address, int length, int msgFlags, long userData) {
        op(IoUringAbi.OP_RECV, fd, userData);
        entries.set(JAVA_LONG, base + ADDR, address);
        entries.set(JAVA_INT, base + LEN, length);
        entries.set(JAVA_INT, base + OP_FLAGS, msgFlags);
        return this;
    }

    /**
     * One send of {@code length} bytes from {@code address}. The kernel adds MSG_NOSIGNAL to every
     * io_uring send; with MSG_WAITALL it retries a partial send on a stream socket itself.
     */
    public Sqe send(int fd, long address, int length, int msgFlags, long userData) {
        op(IoUringAbi.OP_SEND, fd, userData);
        entries.set(JAVA_LONG, base + ADDR, address);
        entries.set(JAVA_INT, base + LEN, length);
        entries.set(JAVA_INT, base + OP_FLAGS, msgFlags);
        return this;
    }

    /** One gathering {@code sendmsg} of the {@code struct msghdr} at {@code msghdr}. */
    public Sqe sendmsg(int fd, long msghdr, int msgFlags, long userData) {
        op(IoUringAbi.OP_SENDMSG, fd, userData);
        entries.set(JAVA_LONG, base + ADDR, msghdr);
        entries.set(JAVA_INT, base + LEN, 1);
        entries.set(JAVA_INT, base + OP_FLAGS, msgFlags);
        return this;
    }

    /**
     * Watches {@code fd} for {@code events} (POLLIN, POLLOUT...) once: one completion, its result the
     * ready events (or a negated errno), when the descriptor is ready, at once if it already is. Armed
     * again after each completion it gives level-triggered readiness.
     */
    public Sqe pollOnce(int fd, int events, long userData) {
        op(IoUringAbi.OP_POLL_ADD, fd, userData);
        entries.set(JAVA_INT, base + OP_FLAGS, events);
        return this;
    }

    /**
     * Watches {@code fd} for {@code events} (POLLIN, POLLOUT...) until removed: one completion, its
     * result the ready events, each time the descriptor becomes ready; {@code CQE_F_MORE} while armed.
     */
    public Sqe pollMultishot(int fd, int events, long userData) {
        op(IoUringAbi.OP_POLL_ADD, fd, userData);
        entries.set(JAVA_INT, base + OP_FLAGS, events);
        entries.set(JAVA_INT, base + LEN, IoUringAbi.POLL_ADD_MULTI);
        return this;
    }

    /** Removes the poll whose user data is {@code target}; it completes with ECANCELED. */
    public Sqe pollRemove(long target, long userData) {
        op(IoUringAbi.OP_POLL_REMOVE, -1, userData);
        entries.set(JAVA_LONG, base + ADDR, target);
        return this;
    }

    /**
     * Cancels the operation whose user data is {@code target}: it completes with ECANCELED (a
     * multishot one without {@code CQE_F_MORE}); this entry completes with 0, or ENOENT when no such
     * operation is in flight, or EALREADY when it is running and cannot be stopped.
     */
    public Sqe cancel(long target, long userData) {
        op(IoUringAbi.OP_ASYNC_CANCEL, -1, userData);
        entries.set(JAVA_LONG, base + ADDR, target);
        return this;
    }

    /**
     * Cancels every operation in flight on {@code fd}; this entry completes with the number cancelled
     * or ENOENT. What a closing connection submits before its descriptor is closed.
     */
    public Sqe cancelAll(int fd, long userData) {
        op(IoUringAbi.OP_ASYNC_CANCEL, fd, userData);
        entries.set(JAVA_INT, base + OP_FLAGS, IoUringAbi.ASYNC_CANCEL_FD | IoUringAbi.ASYNC_CANCEL_ALL);
        return this;
    }

    /** One read of up to {@code length} bytes into {@code address}: for an eventfd's counter. */
    public Sqe read(int fd, long address, int length, long userData) {
        op(IoUringAbi.OP_READ, fd, userData);
        entries.set(JAVA_LONG, base + ADDR, address);
        entries.set(JAVA_INT, base + LEN, length);
        entries.set(JAVA_LONG, base + OFF, -1L); // the descriptor's own position: none for an eventfd
        return this;
    }

    /**
     * Posts a completion to another ring ({@code targetRingFd}) with {@code result} and
     * {@code targetUserData}, waking its owner: cross-loop hand-over without a descriptor of its own.
     * This entry completes on this ring with 0, or an error such as EOVERFLOW.
     */
    public Sqe msgRing(int targetRingFd, int result, long targetUserData, long userData) {
        op(IoUringAbi.OP_MSG_RING, targetRingFd, userData);
        entries.set(JAVA_LONG, base + ADDR, IoUringAbi.MSG_DATA);
        entries.set(JAVA_INT, base + LEN, result);
        entries.set(JAVA_LONG, base + OFF, targetUserData);
        return this;
    }

    /** Closes {@code fd} in the kernel, in order with the ring's other work. */
    public Sqe close(int fd, long userData) {
        return op(IoUringAbi.OP_CLOSE, fd, userData);
    }

    private Sqe op(int opcode, int fd, long userData) {
        entries.set(JAVA_BYTE, base + OPCODE, (byte) opcode);
        entries.set(JAVA_INT, base + FD, fd);
        entries.set(JAVA_LONG, base + USER_DATA, userData);
        return this;
    }
}
