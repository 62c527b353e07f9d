package io.selectors4j.select;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.Selectable;
import io.selectors4j.sys.Platform;
import io.selectors4j.sys.PollFdBuffer;
import io.selectors4j.sys.ReadinessProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Python's {@code select.poll}: a set of descriptors with event masks, waited on with {@code poll()}.
 *
 * <p>Registering makes no system call: a closed or invalid descriptor is accepted and later reported
 * as {@link #POLLNVAL}. {@link #POLLERR}, {@link #POLLHUP} and {@link #POLLNVAL} are reported even when
 * not asked for. The native {@code pollfd} array is kept between calls and rebuilt only after the
 * registrations changed; {@link #pollReady} and {@link #readyFd}/{@link #readyEvents} allocate nothing.
 * Registrations may change from any thread; only one thread may wait at a time.
 */
public final class Poll {
    /** There is data to read. */
    public static final int POLLIN = Platform.POLLIN;
    /** There is urgent data to read. */
    public static final int POLLPRI = Platform.POLLPRI;
    /** Writing will not block. */
    public static final int POLLOUT = Platform.POLLOUT;
    /** Error condition (always reported). */
    public static final int POLLERR = Platform.POLLERR;
    /** Hung up (always reported). */
    public static final int POLLHUP = Platform.POLLHUP;
    /** Invalid request: descriptor not open (always reported). */
    public static final int POLLNVAL = Platform.POLLNVAL;
    /** Normal data may be read. */
    public static final int POLLRDNORM = Platform.POLLRDNORM;
    /** Priority data may be read. */
    public static final int POLLRDBAND = Platform.POLLRDBAND;
    /** Normal data may be written. */
    public static final int POLLWRNORM = Platform.POLLWRNORM;
    /** Priority data may be written. */
    public static final int POLLWRBAND = Platform.POLLWRBAND;
    /** A message is available (unused on Linux). */
    public static final int POLLMSG = Platform.POLLMSG;
    /** The peer closed its end or shut down writing. */
    public static final int POLLRDHUP = Platform.POLLRDHUP;

    private static final int DEFAULT_MASK = POLLIN | POLLPRI | POLLOUT;
    private static final boolean AVAILABLE = ReadinessProbe.poll();

    private final FdSlots registered = new FdSlots();
    private final PollFdBuffer buffer = new PollFdBuffer(8);
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile boolean changed = true;
    private int entries;
    private int[] readySlots = new int[8];
    private int readyCount;

    /** An empty poll set. */
    public Poll() {
    }

    /** An empty poll set, as Python's {@code select.poll()}. */
    public static Poll create() {
        return new Poll();
    }

    /** Whether {@code poll} works on this machine (tried once, on first use of this class). */
    public static boolean isAvailable() {
        return AVAILABLE;
    }

    /** Watches {@code fd} for {@code POLLIN | POLLPRI | POLLOUT}. */
    public void register(int fd) {
        register(fd, DEFAULT_MASK);
    }

    /** Watches {@code object}'s descriptor for {@code POLLIN | POLLPRI | POLLOUT}. */
    public void register(Selectable object) {
        register(Descriptors.of(object), DEFAULT_MASK);
    }

    /** Watches {@code object}'s descriptor for {@code mask}. */
    public void register(Selectable object, int mask) {
        register(Descriptors.of(object), mask);
    }

    /**
     * Watches {@code fd} for the events in {@code mask}; registering again replaces the mask.
     *
     * @throws IllegalArgumentException if {@code fd} is negative or {@code mask} does not fit in an
     * unsigned short
     */
    public synchronized void register(int fd, int mask) {
        Descriptors.check(fd);
        registered.put(fd, checkMask(mask));
        changed = true;
    }

    /**
     * Changes the mask of a registered descriptor.
     *
     * @throws NativeIOException ENOENT if {@code fd} is not registered
     */
    public synchronized void modify(int fd, int mask) throws NativeIOException {
        Descriptors.check(fd);
        checkMask(mask);
        if (registered.slotOf(fd) < 0) {
            throw new NativeIOException("poll.modify", Errno.ENOENT, "fd " + fd + " is not registered");
        }
        registered.put(fd, mask);
        changed = true;
    }

    /** Changes the mask of {@code object}'s registered descriptor; see {@link #modify(int, int)}. */
    public void modify(Selectable object, int mask) throws NativeIOException {
        modify(Descriptors.of(object), mask);
    }

    /**
     * Stops watching {@code fd}; works even if it has been closed since.
     *
     * @throws NoSuchElementException if {@code fd} is not registered
     */
    public synchronized void unregister(int fd) {
        if (!registered.remove(fd)) {
            throw new NoSuchElementException("fd " + fd + " is not registered");
        }
        changed = true;
    }

    /** Stops watching {@code object}'s descriptor; see {@link #unregister(int)}. */
    public void unregister(Selectable object) {
        unregister(Descriptors.of(object));
    }

    /**
     * Waits and returns the ready descriptors with their events.
     *
     * @param timeoutMillis negative blocks, zero polls, positive waits at least that long unless
     * something becomes ready (signals notwithstanding)
     * @return a new list, empty when the timeout expired
     * @throws IllegalStateException if another thread is polling this object
     */
    public List<Event> poll(long timeoutMillis) throws NativeIOException {
        int count = pollReady(timeoutMillis);
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(new Event(readyFd(i), readyEvents(i)));
        }
        return events;
    }

    /**
     * Waits like {@link #poll(long)} without allocating; the results are read with {@link #readyFd}
     * and {@link #readyEvents} until the next wait.
     *
     * @return the number of ready descriptors
     * @throws IllegalStateException if another thread is polling this object
     */
    public int pollReady(long timeoutMillis) throws NativeIOException {
        return pollReadyNanos(Descriptors.timeoutNanos(timeoutMillis));
    }

    /**
     * {@link #pollReady(long)} with the timeout in nanoseconds (negative blocks, zero polls), for
     * callers that keep deadlines on {@link System#nanoTime()}, such as a selector: the wait converts
     * it to the kernel's milliseconds once, rounding up.
     */
    public int pollReadyNanos(long timeoutNanos) throws NativeIOException {
        if (!polling.compareAndSet(false, true)) {
            throw new IllegalStateException("concurrent poll() invocation");
        }
        try {
            if (changed) {
                rebuild();
            }
            readyCount = 0;
            int n = buffer.poll(entries, timeoutNanos);
            for (int slot = 0; slot < entries && readyCount < n; slot++) {
                if (buffer.revents(slot) != 0) {
                    readySlots[readyCount++] = slot;
                }
            }
            return readyCount;
        } finally {
            polling.set(false);
        }
    }

    /** The descriptor of ready entry {@code i} ({@code i} below the last {@link #pollReady} count). */
    public int readyFd(int i) {
        return buffer.fd(readySlots[Objects.checkIndex(i, readyCount)]);
    }

    /** The events of ready entry {@code i} ({@code i} below the last {@link #pollReady} count). */
    public int readyEvents(int i) {
        return buffer.revents(readySlots[Objects.checkIndex(i, readyCount)]);
    }

    private synchronized void rebuild() {
        entries = registered.size();
        buffer.reserve(entries);
        if (readySlots.length < entries) {
            readySlots = new int[buffer.capacity()];
        }
        for (int slot = 0; slot < entries; slot++) {
            buffer.set(slot, registered.fd(slot), registered.mask(slot));
        }
        changed = false;
    }

    private static int checkMask(int mask) {
        if (mask < 0 || mask > 0xFFFF) {
            throw new IllegalArgumentException("event mask must fit in an unsigned short: " + mask);
        }
        return mask;
    }

    /**
     * One ready descriptor.
     *
     * @param fd     the descriptor
     * @param events the {@code POLL*} events that are ready
     */
    public record Event(int fd, int events) {
    }
}
