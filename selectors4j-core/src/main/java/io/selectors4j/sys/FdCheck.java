package io.selectors4j.sys;

import io.selectors4j.NativeIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Tells whether a descriptor number still names the file it named before: the test a selector uses
 * to find registrations whose descriptor was closed, or closed and reused, behind its back. The
 * checks use the thread's scratch memory and allocate nothing.
 *
 * <p><b>Anonymous inodes.</b> epoll, eventfd, timerfd, signalfd and the like all share one device and
 * inode, so this check cannot tell an old one from a new one under the same number (nor can
 * {@code /proc/self/fdinfo}: even an eventfd's id is reused, lowest first). {@link Identity#isAnonymous} says
 * when a caller must ask the kernel another way, as the selectors do with an epoll set.
 */
public final class FdCheck {
    private static final long DEV = Structs.offset(Structs.STAT, "st_dev");
    private static final long INO = Structs.offset(Structs.STAT, "st_ino");

    /** A file's identity: device and inode. */
    public record Identity(long device, long inode) {
        /** Whether this is the inode that every anonymous-inode file shares (eventfd, epoll, timerfd...). */
        public boolean isAnonymous() {
            return device == AnonymousInode.DEVICE;
        }
    }

    private FdCheck() {
    }

    /**
     * Throws {@link NativeIOException} (EBADF) unless {@code fd} is an open descriptor; one
     * {@code fcntl(F_GETFD)}, so even absurd numbers are refused without any table being grown.
     */
    public static void requireOpen(int fd, String call) throws NativeIOException {
        if (fd < 0 || Libc.fcntl(fd, Platform.F_GETFD, 0) < 0) {
            throw new NativeIOException(call, fd < 0 ? Platform.EBADF : Libc.errno(), "fd " + fd);
        }
    }

    /**
     * The identity of the file {@code fd} refers to now, or {@code null} when the descriptor is not open
     * (or fstat fails for another reason).
     */
    public static Identity identity(int fd) {
        MemorySegment stat = ThreadScratch.get().stat;
        if (Libc.fstat(fd, stat) < 0) {
            return null;
        }
        return new Identity(stat.get(ValueLayout.JAVA_LONG, DEV), stat.get(ValueLayout.JAVA_LONG, INO));
    }

    /** Whether {@code fd} is open and refers to the file with {@code identity}. */
    public static boolean refersTo(int fd, Identity identity) {
        MemorySegment stat = ThreadScratch.get().stat;
        return Libc.fstat(fd, stat) == 0
                && stat.get(ValueLayout.JAVA_LONG, DEV) == identity.device()
                && stat.get(ValueLayout.JAVA_LONG, INO) == identity.inode();
    }

    /** The device that the kernel's anonymous inodes live on, found once from an eventfd of our own. */
    private static final class AnonymousInode {
        static final long DEVICE = probe();

        private static long probe() {
            int fd = Libc.eventfd(0, Platform.EFD_CLOEXEC);
            if (fd < 0) {
                return Long.MIN_VALUE; // no eventfd: no anonymous inode will be recognised
            }
            try {
                MemorySegment stat = ThreadScratch.get().stat;
                return Libc.fstat(fd, stat) == 0 ? stat.get(ValueLayout.JAVA_LONG, DEV) : Long.MIN_VALUE;
            } finally {
                Libc.close(fd);
            }
        }
    }
}
