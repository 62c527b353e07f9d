package io.selectors4j.sys;

import io.selectors4j.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** {@code getrlimit}/{@code setrlimit} for {@code RLIMIT_NOFILE}, as {soft, hard} pairs. */
public final class OpenFileLimit {
    private static final long CUR = Structs.offset(Structs.RLIMIT, "rlim_cur");
    private static final long MAX = Structs.offset(Structs.RLIMIT, "rlim_max");

    private OpenFileLimit() {
    }

    /** The current {soft, hard} limit. */
    public static long[] get() throws NativeIOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment limit = arena.allocate(Structs.RLIMIT);
            Libc.check(Libc.getrlimit(Platform.RLIMIT_NOFILE, limit), "getrlimit");
            return new long[] {limit.get(ValueLayout.JAVA_LONG, CUR),
                    limit.get(ValueLayout.JAVA_LONG, MAX)};
        }
    }

    /** Sets the limit to {soft, hard}. */
    public static void set(long soft, long hard) throws NativeIOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment limit = arena.allocate(Structs.RLIMIT);
            limit.set(ValueLayout.JAVA_LONG, CUR, soft);
            limit.set(ValueLayout.JAVA_LONG, MAX, hard);
            Libc.check(Libc.setrlimit(Platform.RLIMIT_NOFILE, limit), "setrlimit");
        }
    }
}
