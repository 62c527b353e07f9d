package io.selectors4j;

import java.io.IOException;

/**
 * A failed system call: Python's {@code OSError(errno, strerror)}.
 *
 * <p>The message names the call, the errno symbol and the C library's text, for example
 * {@code "connect: [Errno 111] ECONNREFUSED: Connection refused"}.
 */
public class NativeIOException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String call;

    /** A failure of {@code call} with the given errno. */
    public NativeIOException(String call, int errno) {
        this(call, errno, null);
    }

    /** A failure of {@code call} with the given errno and extra detail appended to the message. */
    public NativeIOException(String call, int errno, String detail) {
        super(call + ": [Errno " + errno + "] " + Errno.name(errno) + ": " + Errno.message(errno)
                + (detail == null ? "" : " (" + detail + ")"));
        this.errno = errno;
        this.call = call;
    }

    /** The errno number, as in {@code OSError.errno}. */
    public int errno() {
        return errno;
    }

    /** The errno symbol, such as {@code "EBADF"}. */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** The name of the system call that failed, such as {@code "connect"}. */
    public String call() {
        return call;
    }
}
