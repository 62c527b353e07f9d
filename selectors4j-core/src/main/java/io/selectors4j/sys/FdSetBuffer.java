package io.selectors4j.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.selectors4j.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The three {@code fd_set}s of a {@code select()} call, with a {@code timeval}, in native memory.
 *
 * <p>The sets asked for are kept apart from the sets the kernel returns, so the same request can be
 * waited on again; each wait copies only the words up to the highest descriptor added. EINTR is
 * retried with the time that is left. Nothing allocates after construction. One thread at a time;
 * {@link #close()} may be called more than once, and any other use after it throws
 * {@link IllegalStateException}.
 */
public final class FdSetBuffer implements AutoCloseable {
    /** Index of the read set in {@link #add} and {@link #isReady}. */
    public static final int READ = 0;
    /** Index of the write set. */
    public static final int WRITE = 1;
    /** Index of the exceptional-condition set. */
    public static final int EXCEPT = 2;

    private static final long SET_BYTES = Structs.FD_SET.byteSize();
    private static final long RESULT = 3 * SET_BYTES;
    private static final long TIMEVAL = 6 * SET_BYTES;
    private static final long TV_SEC = Structs.offset(Structs.TIMEVAL, "tv_sec");
    private static final long TV_USEC = Structs.offset(Structs.TIMEVAL, "tv_usec");

    private final Arena arena;
    private final MemorySegment memory;
    private final MemorySegment[] results = new MemorySegment[3];
    private final MemorySegment timeval;
    private int maxFd = -1;
    private volatile boolean closed;

    private FdSetBuffer(Arena arena) {
        this.arena = arena;
        this.memory = arena.allocate(TIMEVAL + Structs.TIMEVAL.byteSize(), 8);
        for (int set = 0; set < 3; set++) {
            results[set] = memory.asSlice(RESULT + set * SET_BYTES, SET_BYTES);
        }
        this.timeval = memory.asSlice(TIMEVAL, Structs.TIMEVAL.byteSize());
    }

    /** Sets that any thread may use (one at a time) and {@link #close()} frees. */
    public static FdSetBuffer shared() {
        return new FdSetBuffer(Arena.ofShared());
    }

    /** Sets for the calling thread alone, cheap to free: for a single call. */
    public static FdSetBuffer confined() {
        return new FdSetBuffer(Arena.ofConfined());
    }

    /** Empties the three requested sets. */
    public void clear() {
        ensureOpen();
        if (maxFd >= 0) {
            long bytes = usedBytes();
            for (int set = 0; set < 3; set++) {
                for (long word = 0; word < bytes; word += Long.BYTES) {
                    memory.set(JAVA_LONG, set * SET_BYTES + word, 0L);
                }
            }
            maxFd = -1;
        }
    }

    /**
     * Adds {@code fd} to requested set {@code set}.
     *
     * @throws IllegalArgumentException if {@code fd} is negative or not below {@link Platform#FD_SETSIZE}
     */
    public void add(int set, int fd) {
        checkRange(fd);
        ensureOpen();
        long word = set * SET_BYTES + (long) (fd >>> 6) * Long.BYTES;
        memory.set(JAVA_LONG, word, memory.get(JAVA_LONG, word) | (1L << (fd & 63)));
        if (fd > maxFd) {
            maxFd = fd;
        }
    }

    /**
     * Takes {@code fd} out of the three requested sets, in constant time (at most one pass over the
     * {@link Platform#FD_SETSIZE} bits when it was the highest descriptor). Not present is no error.
     *
     * @throws IllegalArgumentException if {@code fd} is negative or not below {@link Platform#FD_SETSIZE}
     */
    public void remove(int fd) {
        checkRange(fd);
        ensureOpen();
        if (fd > maxFd) {
            return;
        }
        long word = (long) (fd >>> 6) * Long.BYTES;
        long bit = 1L << (fd & 63);
        for (int set = 0; set < 3; set++) {
            long at = set * SET_BYTES + word;
            memory.set(JAVA_LONG, at, memory.get(JAVA_LONG, at) & ~bit);
        }
        if (fd == maxFd) {
            maxFd = highestRequested();
        }
    }

    /** Whether the last {@link #select} found {@code fd} ready in set {@code set}. */
    public boolean isReady(int set, int fd) {
        ensureOpen();
        if (fd < 0 || fd > maxFd) {
            return false;
        }
        long word = results[set].get(JAVA_LONG, (long) (fd >>> 6) * Long.BYTES);
        return (word & (1L << (fd & 63))) != 0;
    }

    /**
     * {@code select()} on the requested sets: a negative timeout blocks, zero polls once, a positive one
     * waits at least that long (rounded up to microseconds) unless a descriptor becomes ready.
     *
     * @return the number of ready bits, as the kernel counts them
     */
    public int select(long timeoutNanos) throws NativeIOException {
        ensureOpen();
        if (timeoutNanos <= 0) { // blocking or a poll: no clock to read
            int n;
            do {
                copyRequest();
                if (timeoutNanos == 0) {
                    setTimeval(0);
                }
                n = Libc.select(maxFd + 1, results[READ], results[WRITE], results[EXCEPT],
                        timeoutNanos < 0 ? MemorySegment.NULL : timeval);
            } while (Waits.interrupted(Libc.threadCallState(), n, "select"));
            return n;
        }
        long start = System.nanoTime();
        while (true) {
            copyRequest();
            setTimeval(Waits.remaining(start, timeoutNanos));
            int n = Libc.select(maxFd + 1, results[READ], results[WRITE], results[EXCEPT], timeval);
            if (Waits.finished(n, "select", start, timeoutNanos)) {
                return n;
            }
        }
    }

    /** Frees the native memory; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (!closed) {
            arena.close();
            closed = true;
        }
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Checks that {@code fd} fits in an {@code fd_set}.
     *
     * @throws IllegalArgumentException naming the descriptor and the limit otherwise
     */
    public static void checkRange(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("file descriptor cannot be a negative integer (" + fd + ")");
        }
        if (fd >= Platform.FD_SETSIZE) {
            throw new IllegalArgumentException("filedescriptor out of range in select(): " + fd
                    + " is not below FD_SETSIZE (" + Platform.FD_SETSIZE + ")");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("select sets used after close()");
        }
    }

    /** The highest descriptor in any requested set, or -1: a scan down from {@code maxFd}'s word. */
    private int highestRequested() {
        for (int word = maxFd >>> 6; word >= 0; word--) {
            long any = 0;
            for (int set = 0; set < 3; set++) {
                any |= memory.get(JAVA_LONG, set * SET_BYTES + (long) word * Long.BYTES);
            }
            if (any != 0) {
                return word * 64 + 63 - Long.numberOfLeadingZeros(any);
            }
        }
        return -1;
    }

    private long usedBytes() {
        return (long) ((maxFd >>> 6) + 1) * Long.BYTES;
    }

    private void copyRequest() {
        if (maxFd < 0) {
            return;
        }
        long bytes = usedBytes();
        for (int set = 0; set < 3; set++) {
            MemorySegment.copy(memory, set * SET_BYTES, results[set], 0, bytes);
        }
    }

    private void setTimeval(long nanos) {
        long micros = nanos / 1000 + (nanos % 1000 == 0 ? 0 : 1);
        timeval.set(JAVA_LONG, TV_SEC, micros / 1_000_000);
        timeval.set(JAVA_LONG, TV_USEC, micros % 1_000_000);
    }
}
