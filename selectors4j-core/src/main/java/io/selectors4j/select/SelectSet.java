package io.selectors4j.select;

import io.selectors4j.NativeIOException;
import io.selectors4j.sys.FdSetBuffer;

/**
 * The allocation-free building block of a {@code select()}-based selector: fill the sets with
 * {@link #add}, wait with {@link #select}, then ask {@link #readable}, {@link #writable} and
 * {@link #exceptional}. The sets stay as added until {@link #remove} or {@link #clear()}, so the same
 * request can be waited on again and kept up to date one descriptor at a time: {@link #add} and
 * {@link #remove} take constant time. Native memory is allocated once and freed by {@link #close()},
 * which may be called more than once; any other use after it throws {@link IllegalStateException}.
 * Not thread-safe: one thread at a time.
 */
public final class SelectSet implements AutoCloseable {
    private final FdSetBuffer sets = FdSetBuffer.shared();

    /** Three empty sets in native memory of their own. */
    public SelectSet() {
    }

    /** Empties the three sets. */
    public void clear() {
        sets.clear();
    }

    /**
     * Asks for {@code fd} in the chosen sets.
     *
     * @throws IllegalArgumentException if {@code fd} is negative or not below {@link Select#FD_SETSIZE}
     */
    public void add(int fd, boolean read, boolean write, boolean except) {
        FdSetBuffer.checkRange(fd);
        if (read) {
            sets.add(FdSetBuffer.READ, fd);
        }
        if (write) {
            sets.add(FdSetBuffer.WRITE, fd);
        }
        if (except) {
            sets.add(FdSetBuffer.EXCEPT, fd);
        }
    }

    /**
     * Takes {@code fd} out of all three sets (to change what it is asked for, remove it and add it
     * again); a descriptor that was not added is no error.
     *
     * @throws IllegalArgumentException if {@code fd} is negative or not below {@link Select#FD_SETSIZE}
     */
    public void remove(int fd) {
        sets.remove(fd);
    }

    /**
     * Waits: a negative timeout blocks, zero polls, a positive one waits at least that long unless a
     * descriptor becomes ready (a signal restarts the wait with the time left).
     *
     * @return the kernel's count of ready bits (a descriptor ready in two sets counts twice); 0 on timeout
     * @throws NativeIOException if the kernel refuses, e.g. EBADF for a closed descriptor
     */
    public int select(long timeoutNanos) throws NativeIOException {
        return sets.select(timeoutNanos);
    }

    /** Whether the last {@link #select} found {@code fd} ready to read. */
    public boolean readable(int fd) {
        return sets.isReady(FdSetBuffer.READ, fd);
    }

    /** Whether the last {@link #select} found {@code fd} ready to write. */
    public boolean writable(int fd) {
        return sets.isReady(FdSetBuffer.WRITE, fd);
    }

    /** Whether the last {@link #select} found an exceptional condition on {@code fd}. */
    public boolean exceptional(int fd) {
        return sets.isReady(FdSetBuffer.EXCEPT, fd);
    }

    /** Frees the native sets; later calls do nothing. */
    @Override
    public void close() {
        sets.close();
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return sets.isClosed();
    }
}
