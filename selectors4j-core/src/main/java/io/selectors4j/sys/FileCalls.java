package io.selectors4j.sys;

import io.selectors4j.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/** Descriptor-level calls shared by sockets, pipes and files: pipe2, open, blocking mode, close. */
public final class FileCalls {
    private FileCalls() {
    }

    /** {@code pipe2(O_CLOEXEC)}: {read end, write end}. */
    public static int[] pipe() throws NativeIOException {
        MemorySegment fds = ThreadScratch.get().fdPair;
        Libc.check(Libc.pipe2(fds, Platform.O_CLOEXEC), "pipe2");
        return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
    }

    /** {@code open(path, flags | O_CLOEXEC, mode)}, retried on EINTR. */
    public static int open(Path path, int flags, int mode) throws NativeIOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path.toString());
            while (true) {
                int fd = Libc.open(cPath, flags | Platform.O_CLOEXEC, mode);
                if (fd >= 0) {
                    return fd;
                }
                if (Libc.errno() != Platform.EINTR) {
                    throw new NativeIOException("open", Libc.errno(), path.toString());
                }
            }
        }
    }

    /** Whether {@code O_NONBLOCK} is clear on the descriptor. */
    public static boolean isBlocking(int fd) throws NativeIOException {
        return (Libc.check(Libc.fcntl(fd, Platform.F_GETFL, 0), "fcntl") & Platform.O_NONBLOCK) == 0;
    }

    /** Sets or clears {@code O_NONBLOCK}. */
    public static void setBlocking(int fd, boolean blocking) throws NativeIOException {
        int flags = Libc.check(Libc.fcntl(fd, Platform.F_GETFL, 0), "fcntl");
        int wanted = blocking ? flags & ~Platform.O_NONBLOCK : flags | Platform.O_NONBLOCK;
        if (wanted != flags) {
            Libc.check(Libc.fcntl(fd, Platform.F_SETFL, wanted), "fcntl");
        }
    }

    /** Whether close-on-exec is set on the descriptor. */
    public static boolean isCloseOnExec(int fd) throws NativeIOException {
        return (Libc.check(Libc.fcntl(fd, Platform.F_GETFD, 0), "fcntl") & Platform.FD_CLOEXEC) != 0;
    }

    /**
     * {@code close}, never retried: on Linux the descriptor is released even when the call reports
     * EINTR, which is therefore ignored; any other failure is reported after the descriptor is gone.
     */
    public static void close(int fd) throws NativeIOException {
        if (Libc.close(fd) < 0 && Libc.errno() != Platform.EINTR) {
            throw new NativeIOException("close", Libc.errno());
        }
    }
}
