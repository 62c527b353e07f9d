package io.selectors4j;

import io.selectors4j.sys.OpenFileLimit;

/**
 * The process's open-files limit ({@code RLIMIT_NOFILE}): read it, and raise the soft limit toward
 * the hard one, as a server or a test that needs many sockets does at start.
 */
public final class ResourceLimits {

    /** A soft and a hard limit; {@code Long.MAX_VALUE} or more means unlimited. */
    public record Limit(long soft, long hard) {
    }

    private ResourceLimits() {
    }

    /** The open-files limit now in force. */
    public static Limit openFiles() throws NativeIOException {
        long[] limit = OpenFileLimit.get();
        return new Limit(limit[0], limit[1]);
    }

    /**
     * Raises the soft open-files limit to {@code wanted}, or to the hard limit if that is lower; never
     * lowers it. Returns the soft limit in force afterwards.
     */
    public static long raiseOpenFiles(long wanted) throws NativeIOException {
        long[] limit = OpenFileLimit.get();
        long target = Math.min(wanted, limit[1] < 0 ? Long.MAX_VALUE : limit[1]);
        if (target > limit[0]) {
            OpenFileLimit.set(target, limit[1]);
            return target;
        }
        return limit[0];
    }
}
