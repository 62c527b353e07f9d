package io.selectors4j;

import io.selectors4j.sys.Platform;

/**
 * The errno numbers a program tests for (as in {@link NativeIOException#errno()}), and the symbol and
 * message of every number. The numbers are this platform's, defined once in the library's platform
 * layer; each constant here is a compile-time constant, usable in a {@code switch}.
 */
public final class Errno {
    public static final int EPERM = Platform.EPERM;
    public static final int ENOENT = Platform.ENOENT;
    public static final int EINTR = Platform.EINTR;
    public static final int EIO = Platform.EIO;
    public static final int EBADF = Platform.EBADF;
    public static final int EAGAIN = Platform.EAGAIN;
    public static final int EWOULDBLOCK = Platform.EWOULDBLOCK;
    public static final int ENOMEM = Platform.ENOMEM;
    public static final int EACCES = Platform.EACCES;
    public static final int EFAULT = Platform.EFAULT;
    public static final int EBUSY = Platform.EBUSY;
    public static final int EEXIST = Platform.EEXIST;
    public static final int EINVAL = Platform.EINVAL;
    public static final int ENFILE = Platform.ENFILE;
    public static final int EMFILE = Platform.EMFILE;
    public static final int ENOSPC = Platform.ENOSPC;
    public static final int EPIPE = Platform.EPIPE;
    public static final int ENOSYS = Platform.ENOSYS;
    public static final int ETIME = Platform.ETIME;
    public static final int ENOTSOCK = Platform.ENOTSOCK;
    public static final int EDESTADDRREQ = Platform.EDESTADDRREQ;
    public static final int EMSGSIZE = Platform.EMSGSIZE;
    public static final int EPROTOTYPE = Platform.EPROTOTYPE;
    public static final int ENOPROTOOPT = Platform.ENOPROTOOPT;
    public static final int EPROTONOSUPPORT = Platform.EPROTONOSUPPORT;
    public static final int EOPNOTSUPP = Platform.EOPNOTSUPP;
    public static final int EAFNOSUPPORT = Platform.EAFNOSUPPORT;
    public static final int EADDRINUSE = Platform.EADDRINUSE;
    public static final int EADDRNOTAVAIL = Platform.EADDRNOTAVAIL;
    public static final int ENETDOWN = Platform.ENETDOWN;
    public static final int ENETUNREACH = Platform.ENETUNREACH;
    public static final int ECONNABORTED = Platform.ECONNABORTED;
    public static final int ECONNRESET = Platform.ECONNRESET;
    public static final int ENOBUFS = Platform.ENOBUFS;
    public static final int EISCONN = Platform.EISCONN;
    public static final int ENOTCONN = Platform.ENOTCONN;
    public static final int ETIMEDOUT = Platform.ETIMEDOUT;
    public static final int ECONNREFUSED = Platform.ECONNREFUSED;
    public static final int EHOSTUNREACH = Platform.EHOSTUNREACH;
    public static final int EALREADY = Platform.EALREADY;
    public static final int EINPROGRESS = Platform.EINPROGRESS;
    public static final int ECANCELED = Platform.ECANCELED;

    private Errno() {
    }

    /** The symbol of an errno number, such as {@code "EBADF"}, or {@code "E<n>"} when unknown. */
    public static String name(int errno) {
        return Platform.errnoName(errno);
    }

    /** The C library's message for an errno number, such as {@code "Bad file descriptor"}. */
    public static String message(int errno) {
        return Platform.errnoMessage(errno);
    }
}
