package io.selectors4j.select;

import io.selectors4j.NativeIOException;
import io.selectors4j.Selectable;
import io.selectors4j.sys.EpollControl;
import io.selectors4j.sys.EpollEventBuffer;
import io.selectors4j.sys.Platform;
import io.selectors4j.sys.ReadinessProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Python's {@code select.epoll} (Linux): a kernel epoll instance, level-triggered unless
 * {@link #EPOLLET} is asked for.
 *
 * <p>The kernel keeps the registrations, and its errors come back as {@link NativeIOException}:
 * EEXIST when registering twice, EPERM for a regular file, EBADF for a bad descriptor, ENOENT when
 * changing or removing an unknown one. {@link #close()} may be called more than once; any other use
 * after it throws {@link IllegalStateException}. {@link #poll(Duration)} may be called by several
 * threads at once; {@link #pollReady} reuses one native event buffer and allocates nothing, one thread
 * at a time. Closing the instance while another thread is still using it is the program's business,
 * as in Python: the descriptor number may already name another file when that thread's call is made.
 */
public final class Epoll implements AutoCloseable {
    /** Readable. */
    public static final int EPOLLIN = Platform.EPOLLIN;
    /** Urgent data to read. */
    public static final int EPOLLPRI = Platform.EPOLLPRI;
    /** Writable. */
    public static final int EPOLLOUT = Platform.EPOLLOUT;
    /** Error condition (always reported). */
    public static final int EPOLLERR = Platform.EPOLLERR;
    /** Hung up (always reported). */
    public static final int EPOLLHUP = Platform.EPOLLHUP;
    /** Same as {@link #EPOLLIN}. */
    public static final int EPOLLRDNORM = Platform.EPOLLRDNORM;
    /** Priority data may be read. */
    public static final int EPOLLRDBAND = Platform.EPOLLRDBAND;
    /** Same as {@link #EPOLLOUT}. */
    public static final int EPOLLWRNORM = Platform.EPOLLWRNORM;
    /** Priority data may be written. */
    public static final int EPOLLWRBAND = Platform.EPOLLWRBAND;
    /** Ignored. */
    public static final int EPOLLMSG = Platform.EPOLLMSG;
    /** The peer closed its end or shut down writing. */
    public static final int EPOLLRDHUP = Platform.EPOLLRDHUP;
    /** Wake only one of several epoll instances waiting on the same descriptor (Linux 4.5+). */
    public static final int EPOLLEXCLUSIVE = Platform.EPOLLEXCLUSIVE;
    /** Report the descriptor once, then disable it until {@link #modify} re-arms it. */
    public static final int EPOLLONESHOT = Platform.EPOLLONESHOT;
    /** Edge-triggered: report a change once instead of for as long as it lasts. */
    public static final int EPOLLET = Platform.EPOLLET;
    /** The flag of {@code epoll_create1} that closes the descriptor on exec (always used by {@link #open()}). */
    public static final int EPOLL_CLOEXEC = Platform.EPOLL_CLOEXEC;

    /** The batch size used when none is given, as Python: {@code FD_SETSIZE - 1}. */
    public static final int DEFAULT_MAX_EVENTS = Platform.FD_SETSIZE - 1;

    private static final int DEFAULT_MASK = EPOLLIN | EPOLLPRI | EPOLLOUT;
    private static final boolean AVAILABLE = ReadinessProbe.epoll();

    private volatile int epfd;
    private final EpollEventBuffer buffer = new EpollEventBuffer(64);
    private final AtomicBoolean polling = new AtomicBoolean();
    private int readyCount;

    private Epoll(int epfd) {
        this.epfd = epfd;
    }

    /** Whether {@code epoll} works on this machine (tried once, on first use of this class). */
    public static boolean isAvailable() {
        return AVAILABLE;
    }

    /** A new epoll instance whose descriptor is closed on exec (not inherited by child programs). */
    public static Epoll open() throws NativeIOException {
        return new Epoll(EpollControl.create());
    }

    /**
     * Wraps an existing epoll descriptor without duplicating it: closing either closes the shared
     * descriptor.
     */
    public static Epoll fromFd(int fd) {
        return new Epoll(Descriptors.check(fd));
    }

    /** The epoll descriptor. */
    public int fileno() {
        return ensureOpen();
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return epfd < 0;
    }

    /** Watches {@code fd} for {@code EPOLLIN | EPOLLPRI | EPOLLOUT}. */
    public void register(int fd) throws NativeIOException {
        register(fd, DEFAULT_MASK);
    }

    /** Watches {@code object}'s descriptor for {@code EPOLLIN | EPOLLPRI | EPOLLOUT}. */
    public void register(Selectable object) throws NativeIOException {
        register(Descriptors.of(object), DEFAULT_MASK);
    }

    /** Watches {@code object}'s descriptor for {@code mask}; see {@link #register(int, int)}. */
    public void register(Selectable object, int mask) throws NativeIOException {
        register(Descriptors.of(object), mask);
    }

    /**
     * Watches {@code fd} for the events (and flags such as {@link #EPOLLET}) in {@code mask}.
     *
     * @throws NativeIOException EEXIST if already registered, EPERM for a regular file, EBADF for a bad
     * descriptor
     */
    public void register(int fd, int mask) throws NativeIOException {
        EpollControl.add(ensureOpen(), Descriptors.check(fd), mask);
    }

    /**
     * Changes the mask of a registered descriptor (this also re-arms an {@link #EPOLLONESHOT} one).
     *
     * @throws NativeIOException ENOENT if {@code fd} is not registered
     */
    public void modify(int fd, int mask) throws NativeIOException {
        EpollControl.modify(ensureOpen(), Descriptors.check(fd), mask);
    }

    /** Changes the mask of {@code object}'s descriptor; see {@link #modify(int, int)}. */
    public void modify(Selectable object, int mask) throws NativeIOException {
        modify(Descriptors.of(object), mask);
    }

    /**
     * Stops watching {@code fd}.
     *
     * @throws NativeIOException ENOENT if {@code fd} is not registered, EBADF if it has been closed
     */
    public void unregister(int fd) throws NativeIOException {
        EpollControl.delete(ensureOpen(), Descriptors.check(fd));
    }

    /** Stops watching {@code object}'s descriptor; see {@link #unregister(int)}. */
    public void unregister(Selectable object) throws NativeIOException {
        unregister(Descriptors.of(object));
    }

    /** {@link #poll(Duration, int)} with up to {@link #DEFAULT_MAX_EVENTS} events. */
    public List<Event> poll(Duration timeout) throws NativeIOException {
        return poll(timeout, DEFAULT_MAX_EVENTS);
    }

    /**
     * Waits and returns the ready descriptors with their events.
     *
     * @param timeout   {@code null} or negative blocks; zero polls; positive waits at least that long
     * (rounded up to a millisecond) unless something becomes ready, signals notwithstanding
     * @param maxEvents the most events to return; must be positive
     * @return a new list, empty when the timeout expired
     */
    public List<Event> poll(Duration timeout, int maxEvents) throws NativeIOException {
        checkMaxEvents(maxEvents);
        int[] pairs = EpollEventBuffer.awaitOnce(ensureOpen(), maxEvents, Descriptors.timeoutNanos(timeout));
        List<Event> events = new ArrayList<>(pairs.length / 2);
        for (int i = 0; i < pairs.length; i += 2) {
            events.add(new Event(pairs[i], pairs[i + 1]));
        }
        return events;
    }

    /**
     * Waits like {@link #poll(Duration, int)} without allocating (the native buffer grows only when
     * {@code maxEvents} exceeds every earlier request); the results are read with {@link #readyFd} and
     * {@link #readyEvents} until the next wait.
     *
     * @param timeoutMillis negative blocks, zero polls, positive waits at least that long
     * @return the number of ready descriptors
     * @throws IllegalStateException if closed, or if another thread is in {@code pollReady} on this object
     */
    public int pollReady(long timeoutMillis, int maxEvents) throws NativeIOException {
        checkMaxEvents(maxEvents);
        int fd = ensureOpen();
        if (!polling.compareAndSet(false, true)) {
            throw new IllegalStateException("concurrent pollReady() invocation");
        }
        try {
            readyCount = 0;
            buffer.reserve(maxEvents);
            readyCount = buffer.await(fd, maxEvents, Descriptors.timeoutNanos(timeoutMillis));
            return readyCount;
        } finally {
            polling.set(false);
        }
    }

    /** The descriptor of ready event {@code i} ({@code i} below the last {@link #pollReady} count). */
    public int readyFd(int i) {
        return buffer.fd(Objects.checkIndex(i, readyCount));
    }

    /** The events of ready event {@code i} ({@code i} below the last {@link #pollReady} count). */
    public int readyEvents(int i) {
        return buffer.events(Objects.checkIndex(i, readyCount));
    }

    /** Closes the epoll descriptor; later calls do nothing. */
    @Override
    public synchronized void close() {
        int fd = epfd;
        if (fd >= 0) {
            epfd = -1;
            EpollControl.close(fd);
        }
    }

    private int ensureOpen() {
        int fd = epfd;
        if (fd < 0) {
            throw new IllegalStateException("I/O operation on closed epoll object");
        }
        return fd;
    }

    private static void checkMaxEvents(int maxEvents) {
        if (maxEvents <= 0) {
            throw new IllegalArgumentException("maxevents must be greater than 0, got " + maxEvents);
        }
        if (maxEvents > EpollEventBuffer.KERNEL_MAX_EVENTS) {
            throw new IllegalArgumentException("maxevents must be at most " + EpollEventBuffer.KERNEL_MAX_EVENTS
                    + " (the kernel's limit), got " + maxEvents);
        }
    }

    /**
     * One ready descriptor.
     *
     * @param fd     the descriptor
     * @param events the {@code EPOLL*} events that are ready
     */
    public record Event(int fd, int events) {
    }
}
