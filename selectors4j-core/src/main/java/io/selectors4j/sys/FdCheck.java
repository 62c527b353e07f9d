package io.selectors4j.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Tells whether a descriptor number still names the file it named before: the test a selector uses
 * to find registrations whose descriptor was closed, or closed and reused, behind its back. The
 * checks use the thread's scratch memory and allocate nothing.
 */
public final class FdCheck {
    private static final long DEV = Structs.offset(Structs.STAT, "st_dev");
    private static final long INO = Structs.offset(Structs.STAT, "st_ino");

    /** A file's identity: device and inode. */
    public record Identity(long device, long inode) {
    }

    private FdCheck() {
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
}
