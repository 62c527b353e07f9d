package io.selectors4j.sys;

import io.selectors4j.NativeIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The process's one dead descriptor, put over a number whose owner closed it while calls were still in
 * flight: the number stays taken, so the kernel cannot hand it to a new file, and a call that reaches
 * it fails cleanly without blocking. It is one end of a Unix stream socket pair whose other end is
 * closed and which is shut down both ways: reads and receives see end of stream at once, writes and
 * sends fail with EPIPE, and accept fails with EINVAL.
 */
public final class DeadDescriptor {
    private static final int FD = open();

    private DeadDescriptor() {
    }

    private static int open() {
        MemorySegment state = Libc.threadCallState();
        MemorySegment fds = ThreadScratch.get().fdPair;
        int result = Libc.socketpair(state, Platform.AF_UNIX, Platform.SOCK_STREAM | Platform.SOCK_CLOEXEC, 0, fds);
        if (result < 0) {
            throw new IllegalStateException("cannot create the dead descriptor",
                    new NativeIOException("socketpair", Libc.errno(state)));
        }
        int kept = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
        Libc.shutdown(state, kept, Platform.SHUT_RDWR);
        Libc.close(state, fds.getAtIndex(ValueLayout.JAVA_INT, 1));
        return kept;
    }

    /**
     * Atomically makes {@code fd} refer to the dead descriptor, close-on-exec like every descriptor of
     * ours; the file it referred to loses that reference.
     */
    public static void cover(int fd) throws NativeIOException {
        MemorySegment state = Libc.threadCallState();
        int result;
        do {
            result = Libc.dup3(state, FD, fd, Platform.O_CLOEXEC);
        } while (result < 0 && Libc.errno(state) == Platform.EINTR);
        Libc.check(state, result, "dup3");
    }

    /** The dead descriptor's number (for tests that recognise it). */
    public static int number() {
        return FD;
    }
}
