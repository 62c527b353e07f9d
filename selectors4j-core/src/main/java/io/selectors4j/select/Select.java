package io.selectors4j.select;

import io.selectors4j.NativeIOException;
import io.selectors4j.Selectable;
import io.selectors4j.sys.FdSetBuffer;
import io.selectors4j.sys.Platform;
import io.selectors4j.sys.ReadinessProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Python's {@code select.select}: waits until some of the given objects are ready for reading,
 * writing or have an exceptional condition (TCP urgent data).
 *
 * <p>Every descriptor must be below {@link #FD_SETSIZE} (1024); use {@link Poll} or {@link Epoll} for
 * more. Regular files are always ready. For a reusable, allocation-free form see {@link SelectSet}.
 */
public final class Select {
    /** The number of descriptors {@code select()} can watch: every descriptor must be below it. */
    public static final int FD_SETSIZE = Platform.FD_SETSIZE;

    /** Bytes a pipe reported writable accepts without blocking (Python's {@code select.PIPE_BUF}). */
    public static final int PIPE_BUF = Platform.PIPE_BUF;

    private static final boolean AVAILABLE = ReadinessProbe.select();

    private Select() {
    }

    /** Whether {@code select} works on this machine (tried once, on first use of this class). */
    public static boolean isAvailable() {
        return AVAILABLE;
    }

    /**
     * The objects that are ready, in three new lists.
     *
     * @param <T> the type of the objects
     * @param readable     ready to read
     * @param writable     ready to write
     * @param exceptional  with an exceptional condition pending (TCP urgent data)
     * @param timeout      {@code null} blocks until something is ready; zero polls; a positive time
     * waits at least that long (rounded up to a microsecond), signals notwithstanding
     * @return three new lists holding the same objects, in input order, duplicates kept; all empty when
     * the timeout expired
     * @throws IllegalArgumentException if the timeout is negative, or a {@code fileno()} is negative or
     * not below {@link #FD_SETSIZE} (checked before any system call)
     * @throws NativeIOException if the kernel refuses, e.g. EBADF for a closed descriptor
     */
    public static <T extends Selectable> Result<T> select(Collection<? extends T> readable,
            Collection<? extends T> writable, Collection<? extends T> exceptional, Duration timeout)
            throws NativeIOException {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be non-negative");
        }
        Wanted<T> r = new Wanted<>(readable);
        Wanted<T> w = new Wanted<>(writable);
        Wanted<T> x = new Wanted<>(exceptional);
        try (FdSetBuffer sets = FdSetBuffer.confined()) {
            r.addTo(sets, FdSetBuffer.READ);
            w.addTo(sets, FdSetBuffer.WRITE);
            x.addTo(sets, FdSetBuffer.EXCEPT);
            sets.select(timeout == null ? -1 : Descriptors.nanos(timeout));
            return new Result<>(r.ready(sets, FdSetBuffer.READ), w.ready(sets, FdSetBuffer.WRITE),
                    x.ready(sets, FdSetBuffer.EXCEPT));
        }
    }

    /**
     * What {@link #select} found ready: three new lists.
     *
     * @param <T>         the type of the objects
     * @param readable    the objects ready to read
     * @param writable    the objects ready to write
     * @param exceptional the objects with an exceptional condition
     */
    public record Result<T extends Selectable>(List<T> readable, List<T> writable, List<T> exceptional) {
    }

    /** One of the three argument lists, with each object's descriptor asked once and checked. */
    private static final class Wanted<T extends Selectable> {
        private final List<T> objects;
        private final int[] fds;

        Wanted(Collection<? extends T> source) {
            objects = new ArrayList<>(source);
            fds = new int[objects.size()];
            for (int i = 0; i < fds.length; i++) {
                fds[i] = objects.get(i).fileno();
                FdSetBuffer.checkRange(fds[i]);
            }
        }

        void addTo(FdSetBuffer sets, int set) {
            for (int fd : fds) {
                sets.add(set, fd);
            }
        }

        List<T> ready(FdSetBuffer sets, int set) {
            List<T> ready = new ArrayList<>();
            for (int i = 0; i < fds.length; i++) {
                if (sets.isReady(set, fds[i])) {
                    ready.add(objects.get(i));
                }
            }
            return ready;
        }
    }
}
