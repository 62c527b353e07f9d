package io.selectors4j.sys;

import io.selectors4j.NativeIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;

/**
 * Moves bytes between Java memory and a descriptor with {@code recv}/{@code send} (sockets) or
 * {@code read}/{@code write} (pipes, files).
 *
 * <p>Every method returns the number of bytes moved, 0 at end of stream on input, or
 * {@link #WOULD_BLOCK} when a non-blocking descriptor has nothing to give or no room; other failures
 * throw {@link NativeIOException}, and EINTR is retried. The caller holds the descriptor open for the
 * call (it counts the call as in flight), so the number cannot be swapped under it.
 *
 * <p>How memory reaches the kernel, allocating nothing in steady state:
 * <ul>
 *   <li>Native segments are passed straight through; direct buffers as their raw address at the
 *       buffer's position (the whole-buffer segment behind it is cached in the {@link CallContext}).</li>
 *   <li>A Java array at offset 0 on a non-blocking descriptor is passed in place through a critical
 *       downcall (no copy), with the whole-array segment cached in the {@link CallContext}. Socket calls
 *       then add {@code MSG_DONTWAIT}, so they cannot block even if the descriptor's mode was changed
 *       behind the caller's back; pipe calls rely on the mode the caller tracks. Heap segments on a
 *       non-blocking descriptor go the same way.</li>
 *   <li>Anything else on the heap (an array at an offset, any heap memory on a blocking descriptor) is
 *       copied through the calling thread's native bounce buffer, at most
 *       {@link ThreadScratch#BOUNCE_SIZE} bytes per call: a segment per offset would allocate, a copy
 *       of a few KiB costs less, and a call that blocks never holds up the garbage collector.</li>
 * </ul>
 * Sends always carry {@code MSG_NOSIGNAL}: a closed peer gives EPIPE, never SIGPIPE; socket calls on a
 * descriptor the caller says is non-blocking carry {@code MSG_DONTWAIT} too.
 */
public final class Transfers {
    /** Returned when a non-blocking descriptor would block (EAGAIN). */
    public static final long WOULD_BLOCK = -1;

    /** recv on a socket. */
    public static final int RECV = 0;
    /** send on a socket. */
    public static final int SEND = 1;
    /** read on a pipe or file. */
    public static final int READ = 2;
    /** write on a pipe or file. */
    public static final int WRITE = 3;

    /** The most buffers one {@link #vector} call passes to the kernel; the rest wait for the next call. */
    public static final int MAX_VECTORS = 64;

    private static final long IOV_BASE = Structs.offset(Structs.IOVEC, "iov_base");
    private static final long IOV_LEN = Structs.offset(Structs.IOVEC, "iov_len");
    private static final long MSG_IOVLEN = Structs.offset(Structs.MSGHDR, "msg_iovlen");
    private static final long INTERRUPTED = -2;
    private static final String[] CALL_NAMES = {"recv", "send", "read", "write"};

    private Transfers() {
    }

    /** Transfers {@code len} bytes of {@code array} from {@code off} with call {@code kind}. */
    public static long array(int kind, int fd, CallContext context, byte[] array, int off, int len,
                             boolean blocking, int flags) throws NativeIOException {
        Objects.checkFromIndexSize(off, len, array.length);
        if (len == 0) {
            return 0;
        }
        ThreadScratch scratch = context.scratch();
        if (!blocking && off == 0 && isSocketCall(kind)) {
            return inPlace(kind, fd, scratch.callState, context.wholeArray(array), len, flags);
        }
        MemorySegment bounce = scratch.bounce();
        int chunk = Math.min(len, ThreadScratch.BOUNCE_SIZE);
        boolean out = isOutput(kind);
        if (out) {
            MemorySegment.copy(array, off, bounce, ValueLayout.JAVA_BYTE, 0, chunk);
        }
        long n = onNative(kind, fd, scratch.callState, bounce, chunk, blocking ? flags : flags | Platform.MSG_DONTWAIT);
        if (!out && n > 0) {
            MemorySegment.copy(bounce, ValueLayout.JAVA_BYTE, 0, array, off, (int) n);
        }
        return n;
    }

    /**
     * Transfers the whole of {@code segment}, native or heap, with call {@code kind}.
     *
     * @throws IllegalArgumentException input into a read-only segment
     */
    public static long segment(int kind, int fd, CallContext context, MemorySegment segment, boolean blocking,
                               int flags) throws NativeIOException {
        boolean out = isOutput(kind);
        if (!out && segment.isReadOnly()) {
            throw new IllegalArgumentException("cannot " + CALL_NAMES[kind] + " into a read-only segment");
        }
        long len = segment.byteSize();
        if (len == 0) {
            return 0;
        }
        ThreadScratch scratch = context.scratch();
        if (segment.isNative()) {
            int mode = blocking ? flags : flags | Platform.MSG_DONTWAIT;
            return onNative(kind, fd, scratch.callState, segment, len, mode);
        }
        if (!blocking && isSocketCall(kind)) {
            return inPlace(kind, fd, scratch.callState, segment, len, flags);
        }
        MemorySegment bounce = scratch.bounce();
        long chunk = Math.min(len, ThreadScratch.BOUNCE_SIZE);
        if (out) {
            MemorySegment.copy(segment, 0, bounce, 0, chunk);
        }
        long n = onNative(kind, fd, scratch.callState, bounce, chunk, flags);
        if (!out && n > 0) {
            MemorySegment.copy(bounce, 0, segment, 0, n);
        }
        return n;
    }

    /**
     * Transfers the buffer's remaining bytes with call {@code kind} and advances its position by the
     * number moved. A direct buffer must not be freed by another thread during the call.
     */
    public static long buffer(int kind, int fd, CallContext context, ByteBuffer buffer, boolean blocking,
                              int flags) throws NativeIOException {
        int position = buffer.position();
        int remaining = buffer.limit() - position;
        if (buffer.isReadOnly() && !isOutput(kind)) {
            throw new ReadOnlyBufferException();
        }
        long n;
        if (buffer.hasArray()) {
            n = array(kind, fd, context, buffer.array(), buffer.arrayOffset() + position, remaining, blocking, flags);
        } else if (buffer.isDirect()) {
            int mode = blocking ? flags : flags | Platform.MSG_DONTWAIT;
            n = remaining == 0 ? 0 : direct(kind, fd, context, buffer, position, remaining, mode);
        } else {
            // a read-only heap buffer, only ever sent: copied through the bounce buffer
            n = segment(kind, fd, context, MemorySegment.ofBuffer(buffer), true, flags);
        }
        if (n > 0) {
            buffer.position(position + (int) n);
        }
        return n;
    }

    private static long direct(int kind, int fd, CallContext context, ByteBuffer buffer, int position,
                               int remaining, int flags) throws NativeIOException {
        MemorySegment whole = context.wholeDirect(buffer);
        if (!whole.scope().isAlive()) {
            throw new IllegalStateException("the buffer's memory has been freed");
        }
        MemorySegment state = context.scratch().callState;
        long address = whole.address() + position;
        long n;
        do {
            n = outcome(kind, state, switch (kind) {
                case RECV -> Libc.recv(state, fd, address, remaining, flags);
                case SEND -> Libc.send(state, fd, address, remaining, flags | Platform.MSG_NOSIGNAL);
                case READ -> Libc.read(state, fd, address, remaining);
                default -> Libc.write(state, fd, address, remaining);
            });
        } while (n == INTERRUPTED);
        Reference.reachabilityFence(buffer);
        return n;
    }

    /**
     * Gathers ({@link #WRITE}: {@code writev}; {@link #SEND}: {@code sendmsg} with MSG_NOSIGNAL, for
     * sockets) from, or scatters ({@link #READ}: {@code readv}) into, {@code count} native segments starting at {@code offset}, at most {@link #MAX_VECTORS} of them per
     * call. Segments must be native memory: the kernel reads the iovec addresses outside any Java call,
     * so a shared arena must not be closed by another thread while the call runs.
     */
    public static long vector(int kind, int fd, CallContext context, MemorySegment[] segments, int offset,
                              int count) throws NativeIOException {
        return vector(kind, fd, context, segments, offset, count, 0, Long.MAX_VALUE);
    }

    /**
     * As {@link #vector(int, int, CallContext, MemorySegment[], int, int)}, over a window of the
     * segments taken as one run of bytes: it starts {@code skip} bytes into the first segment and holds
     * at most {@code length} bytes, so a queue of fixed chunks whose first is partly sent and whose last
     * is partly filled is passed without slicing (a slice is an object per call).
     */
    public static long vector(int kind, int fd, CallContext context, MemorySegment[] segments, int offset,
                              int count, long skip, long length) throws NativeIOException {
        Objects.checkFromIndexSize(offset, count, segments.length);
        if (kind == RECV) {
            throw new IllegalArgumentException("vectored transfers are READ, WRITE or SEND");
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        if (skip < 0 || (count > 0 && skip > segments[offset].byteSize())
                || (count == 0 && skip > 0)) {
            throw new IllegalArgumentException("skip " + skip + " is outside the first segment");
        }
        ThreadScratch scratch = context.scratch();
        MemorySegment iovecs = scratch.iovecs;
        int limit = Math.min(count, MAX_VECTORS);
        int used = 0;
        long total = 0;
        while (used < limit && total < length) {
            MemorySegment segment = segments[offset + used];
            checkVectorSegment(segment, offset + used, kind == READ);
            long start = used == 0 ? skip : 0;
            long bytes = Math.min(segment.byteSize() - start, length - total);
            long entry = used * Structs.IOVEC.byteSize();
            // the address inside the segment as a number: a pointer is 64 bits on every supported platform
            iovecs.set(ValueLayout.JAVA_LONG, entry + IOV_BASE, segment.address() + start);
            iovecs.set(ValueLayout.JAVA_LONG, entry + IOV_LEN, bytes);
            total += bytes;
            used++;
        }
        if (total == 0) {
            return 0;
        }
        MemorySegment state = scratch.callState;
        long n;
        do {
            n = outcome(kind, state, switch (kind) {
                case READ -> Libc.readv(state, fd, iovecs, used);
                case WRITE -> Libc.writev(state, fd, iovecs, used);
                default -> gatheredSend(scratch.msghdr, state, fd, used);
            });
        } while (n == INTERRUPTED);
        return n;
    }

    /** {@code sendmsg} over the scratch iovecs with MSG_NOSIGNAL: a closed peer gives EPIPE, never SIGPIPE. */
    private static long gatheredSend(MemorySegment msghdr, MemorySegment state, int fd, int used) {
        msghdr.set(ValueLayout.JAVA_LONG, MSG_IOVLEN, used);
        return Libc.sendmsg(state, fd, msghdr, Platform.MSG_NOSIGNAL);
    }

    /**
     * The iovec array holds raw addresses, which FFM cannot guard during the call: refuse heap memory,
     * a closed arena, another thread's confined memory and, for reads, read-only memory up front.
     */
    private static void checkVectorSegment(MemorySegment segment, int index, boolean filled) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("vectored I/O takes native memory; segment " + index
                    + " is on the Java heap");
        }
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException("segment " + index + " belongs to a closed arena");
        }
        if (!segment.isAccessibleBy(Thread.currentThread())) {
            throw new WrongThreadException("segment " + index + " is confined to another thread");
        }
        if (filled && segment.isReadOnly()) {
            throw new IllegalArgumentException("segment " + index + " is read-only");
        }
    }

    private static boolean isOutput(int kind) {
        return kind == SEND || kind == WRITE;
    }

    /** A call on native memory; it may block when the descriptor is blocking. */
    private static long onNative(int kind, int fd, MemorySegment state, MemorySegment memory, long len, int flags)
            throws NativeIOException {
        long n;
        do {
            n = outcome(kind, state, switch (kind) {
                case RECV -> Libc.recv(state, fd, memory, len, flags);
                case SEND -> Libc.send(state, fd, memory, len, flags | Platform.MSG_NOSIGNAL);
                case READ -> Libc.read(state, fd, memory, len);
                default -> Libc.write(state, fd, memory, len);
            });
        } while (n == INTERRUPTED);
        return n;
    }

    /**
     * A critical call on heap memory in place, for socket calls only: MSG_DONTWAIT makes them unable to
     * block whatever the descriptor's mode. Pipe and file calls never go in place, because another holder
     * of the same open file could clear O_NONBLOCK and a blocked critical call would stall every thread
     * at the next safepoint.
     */
    private static long inPlace(int kind, int fd, MemorySegment state, MemorySegment memory, long len, int flags)
            throws NativeIOException {
        long n;
        do {
            n = outcome(kind, state, kind == RECV
                    ? Libc.recvCritical(state, fd, memory, len, flags | Platform.MSG_DONTWAIT)
                    : Libc.sendCritical(state, fd, memory, len, flags | Platform.MSG_DONTWAIT | Platform.MSG_NOSIGNAL));
        } while (n == INTERRUPTED);
        return n;
    }

    private static boolean isSocketCall(int kind) {
        return kind == RECV || kind == SEND;
    }

    private static long outcome(int kind, MemorySegment state, long result) throws NativeIOException {
        if (result >= 0) {
            return result;
        }
        int errno = Libc.errno(state);
        if (errno == Platform.EAGAIN) {
            return WOULD_BLOCK;
        }
        if (errno == Platform.EINTR) {
            return INTERRUPTED;
        }
        throw new NativeIOException(CALL_NAMES[kind], errno);
    }
}
