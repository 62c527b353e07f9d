package io.selectors4j.sys;

import io.selectors4j.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A non-blocking Linux eventfd used to wake a thread blocked in select, poll or epoll_wait. Signalling
 * makes it readable; draining makes it quiet again. {@link #signal()} may be called from any thread.
 */
public final class EventFd implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG);
    private final MemorySegment sink = arena.allocate(ValueLayout.JAVA_LONG);
    private final int fd;
    private boolean closed;

    /** Creates a non-blocking, close-on-exec eventfd. */
    public EventFd() throws NativeIOException {
        this(true);
    }

    /**
     * Creates a close-on-exec eventfd, blocking or not. A blocking one is what an io_uring read waits
     * on ({@link #counterAddress()}): io_uring completes a read of a non-blocking file that has nothing
     * with EAGAIN at once, instead of waiting.
     */
    public EventFd(boolean nonBlocking) throws NativeIOException {
        int result = Libc.eventfd(0, (nonBlocking ? Platform.EFD_NONBLOCK : 0) | Platform.EFD_CLOEXEC);
        if (result < 0) {
            int errno = Libc.errno();
            arena.close();
            throw new NativeIOException("eventfd", errno);
        }
        fd = result;
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
    }

    /** The descriptor to watch for readability. */
    public int fd() {
        return fd;
    }

    /**
     * Makes the descriptor readable. A full counter (EAGAIN) is already readable and is ignored; after
     * {@link #close()} this does nothing, so a recycled descriptor number is never written to.
     */
    public synchronized void signal() throws NativeIOException {
        if (closed) {
            return;
        }
        long result;
        do {
            result = Libc.write(fd, one, Long.BYTES);
        } while (result < 0 && Libc.errno() == Platform.EINTR);
        if (result < 0 && Libc.errno() != Platform.EAGAIN) {
            throw new NativeIOException("write", Libc.errno(), "eventfd");
        }
    }

    /**
     * The address of 8 bytes that an io_uring read of the counter may fill ({@link Sqe#read}), valid
     * until {@link #close()}; {@link #drain()} reads into them too.
     */
    public long counterAddress() {
        return sink.address();
    }

    /** Resets the counter so the descriptor is no longer readable. */
    public void drain() {
        Libc.read(fd, sink, Long.BYTES);
    }

    /** Closes the descriptor and frees its buffers; idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
            arena.close();
        }
    }
}
