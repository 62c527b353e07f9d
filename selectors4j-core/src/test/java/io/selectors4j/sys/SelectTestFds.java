package io.selectors4j.sys;

import io.selectors4j.NativeIOException;

/** Test support: raw descriptor operations the public API does not offer. */
public final class SelectTestFds {
    private SelectTestFds() {
    }

    /** A duplicate of {@code fd}, which the caller must close. */
    public static int dup(int fd) throws NativeIOException {
        return Libc.check(Libc.dup(fd), "dup");
    }

    /** Closes a raw descriptor. */
    public static void close(int fd) throws NativeIOException {
        Libc.check(Libc.close(fd), "close");
    }

    /**
     * The number of a descriptor that was open a moment ago and is closed now. (A number beyond every
     * descriptor the process ever had would be ignored by {@code select()} rather than refused.)
     */
    public static int closedFd() throws NativeIOException {
        int fd = dup(2);
        close(fd);
        return fd;
    }
}
