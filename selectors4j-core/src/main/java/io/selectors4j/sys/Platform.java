package io.selectors4j.sys;

/**
 * Linux (x86_64 and aarch64) constants for the system calls in {@link Libc}: one place for every
 * platform number (flags, event bits, errno values and their symbols and messages), so that another
 * POSIX system changes this file and {@link Structs} only. The public {@link io.selectors4j.Errno}
 * and the {@code select} module's flag constants are defined from these.
 */
public final class Platform {
    /** errno values. */
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EWOULDBLOCK = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOSPC = 28;
    public static final int EPIPE = 32;
    public static final int ENOSYS = 38;
    public static final int ETIME = 62;
    public static final int ENOTSOCK = 88;
    public static final int EDESTADDRREQ = 89;
    public static final int EMSGSIZE = 90;
    public static final int EPROTOTYPE = 91;
    public static final int ENOPROTOOPT = 92;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int EISCONN = 106;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;
    public static final int ECANCELED = 125;

    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    public static final int SO_ERROR = 4;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_OOBINLINE = 10;
    public static final int SO_LINGER = 13;
    public static final int SO_REUSEPORT = 15;

    public static final int IPPROTO_TCP = 6;
    public static final int TCP_NODELAY = 1;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPV6_V6ONLY = 26;

    public static final int MSG_OOB = 0x1;
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_WAITALL = 0x100;
    public static final int MSG_NOSIGNAL = 0x4000;

    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int FD_CLOEXEC = 1;

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0x40;
    public static final int O_TRUNC = 0x200;
    public static final int O_APPEND = 0x400;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    public static final int RLIMIT_NOFILE = 7;

    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x1;
    public static final int MAP_PRIVATE = 0x2;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_POPULATE = 0x8000;

    /** poll(2) event bits. */
    public static final int POLLIN = 0x1;
    public static final int POLLPRI = 0x2;
    public static final int POLLOUT = 0x4;
    public static final int POLLERR = 0x8;
    public static final int POLLHUP = 0x10;
    public static final int POLLNVAL = 0x20;
    public static final int POLLRDNORM = 0x40;
    public static final int POLLRDBAND = 0x80;
    public static final int POLLWRNORM = 0x100;
    public static final int POLLWRBAND = 0x200;
    public static final int POLLMSG = 0x400;
    public static final int POLLRDHUP = 0x2000;

    /** epoll(7) event bits: on Linux the poll bits' numbers, named apart for systems where they differ. */
    public static final int EPOLLIN = 0x1;
    public static final int EPOLLPRI = 0x2;
    public static final int EPOLLOUT = 0x4;
    public static final int EPOLLERR = 0x8;
    public static final int EPOLLHUP = 0x10;
    public static final int EPOLLRDNORM = 0x40;
    public static final int EPOLLRDBAND = 0x80;
    public static final int EPOLLWRNORM = 0x100;
    public static final int EPOLLWRBAND = 0x200;
    public static final int EPOLLMSG = 0x400;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    public static final int EPOLLWAKEUP = 1 << 29;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;

    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;

    /** The number of descriptors an {@code fd_set} holds: {@code select()} rejects any fd at or above it. */
    public static final int FD_SETSIZE = 1024;

    /** The largest number of bytes a pipe write is guaranteed to move at once (Python's {@code PIPE_BUF}). */
    public static final int PIPE_BUF = 4096;

    /** The symbol and the C library's message of each errno number, indexed by the number. */
    private static final String[][] ERRNO_TABLE = {
            /*   0 */ null,
            /*   1 */ {"EPERM", "Operation not permitted"},
            /*   2 */ {"ENOENT", "No such file or directory"},
            /*   3 */ {"ESRCH", "No such process"},
            /*   4 */ {"EINTR", "Interrupted system call"},
            /*   5 */ {"EIO", "Input/output error"},
            /*   6 */ {"ENXIO", "No such device or address"},
            /*   7 */ {"E2BIG", "Argument list too long"},
            /*   8 */ {"ENOEXEC", "Exec format error"},
            /*   9 */ {"EBADF", "Bad file descriptor"},
            /*  10 */ {"ECHILD", "No child processes"},
            /*  11 */ {"EAGAIN", "Resource temporarily unavailable"},
            /*  12 */ {"ENOMEM", "Cannot allocate memory"},
            /*  13 */ {"EACCES", "Permission denied"},
            /*  14 */ {"EFAULT", "Bad address"},
            /*  15 */ {"ENOTBLK", "Block device required"},
            /*  16 */ {"EBUSY", "Device or resource busy"},
            /*  17 */ {"EEXIST", "File exists"},
            /*  18 */ {"EXDEV", "Invalid cross-device link"},
            /*  19 */ {"ENODEV", "No such device"},
            /*  20 */ {"ENOTDIR", "Not a directory"},
            /*  21 */ {"EISDIR", "Is a directory"},
            /*  22 */ {"EINVAL", "Invalid argument"},
            /*  23 */ {"ENFILE", "Too many open files in system"},
            /*  24 */ {"EMFILE", "Too many open files"},
            /*  25 */ {"ENOTTY", "Inappropriate ioctl for device"},
            /*  26 */ {"ETXTBSY", "Text file busy"},
            /*  27 */ {"EFBIG", "File too large"},
            /*  28 */ {"ENOSPC", "No space left on device"},
            /*  29 */ {"ESPIPE", "Illegal seek"},
            /*  30 */ {"EROFS", "Read-only file system"},
            /*  31 */ {"EMLINK", "Too many links"},
            /*  32 */ {"EPIPE", "Broken pipe"},
            /*  33 */ {"EDOM", "Numerical argument out of domain"},
            /*  34 */ {"ERANGE", "Numerical result out of range"},
            /*  35 */ {"EDEADLOCK", "Resource deadlock avoided"},
            /*  36 */ {"ENAMETOOLONG", "File name too long"},
            /*  37 */ {"ENOLCK", "No locks available"},
            /*  38 */ {"ENOSYS", "Function not implemented"},
            /*  39 */ {"ENOTEMPTY", "Directory not empty"},
            /*  40 */ {"ELOOP", "Too many levels of symbolic links"},
            /*  41 */ null,
            /*  42 */ {"ENOMSG", "No message of desired type"},
            /*  43 */ {"EIDRM", "Identifier removed"},
            /*  44 */ {"ECHRNG", "Channel number out of range"},
            /*  45 */ {"EL2NSYNC", "Level 2 not synchronized"},
            /*  46 */ {"EL3HLT", "Level 3 halted"},
            /*  47 */ {"EL3RST", "Level 3 reset"},
            /*  48 */ {"ELNRNG", "Link number out of range"},
            /*  49 */ {"EUNATCH", "Protocol driver not attached"},
            /*  50 */ {"ENOCSI", "No CSI structure available"},
            /*  51 */ {"EL2HLT", "Level 2 halted"},
            /*  52 */ {"EBADE", "Invalid exchange"},
            /*  53 */ {"EBADR", "Invalid request descriptor"},
            /*  54 */ {"EXFULL", "Exchange full"},
            /*  55 */ {"ENOANO", "No anode"},
            /*  56 */ {"EBADRQC", "Invalid request code"},
            /*  57 */ {"EBADSLT", "Invalid slot"},
            /*  58 */ null,
            /*  59 */ {"EBFONT", "Bad font file format"},
            /*  60 */ {"ENOSTR", "Device not a stream"},
            /*  61 */ {"ENODATA", "No data available"},
            /*  62 */ {"ETIME", "Timer expired"},
            /*  63 */ {"ENOSR", "Out of streams resources"},
            /*  64 */ {"ENONET", "Machine is not on the network"},
            /*  65 */ {"ENOPKG", "Package not installed"},
            /*  66 */ {"EREMOTE", "Object is remote"},
            /*  67 */ {"ENOLINK", "Link has been severed"},
            /*  68 */ {"EADV", "Advertise error"},
            /*  69 */ {"ESRMNT", "Srmount error"},
            /*  70 */ {"ECOMM", "Communication error on send"},
            /*  71 */ {"EPROTO", "Protocol error"},
            /*  72 */ {"EMULTIHOP", "Multihop attempted"},
            /*  73 */ {"EDOTDOT", "RFS specific error"},
            /*  74 */ {"EBADMSG", "Bad message"},
            /*  75 */ {"EOVERFLOW", "Value too large for defined data type"},
            /*  76 */ {"ENOTUNIQ", "Name not unique on network"},
            /*  77 */ {"EBADFD", "File descriptor in bad state"},
            /*  78 */ {"EREMCHG", "Remote address changed"},
            /*  79 */ {"ELIBACC", "Can not access a needed shared library"},
            /*  80 */ {"ELIBBAD", "Accessing a corrupted shared library"},
            /*  81 */ {"ELIBSCN", ".lib section in a.out corrupted"},
            /*  82 */ {"ELIBMAX", "Attempting to link in too many shared libraries"},
            /*  83 */ {"ELIBEXEC", "Cannot exec a shared library directly"},
            /*  84 */ {"EILSEQ", "Invalid or incomplete multibyte or wide character"},
            /*  85 */ {"ERESTART", "Interrupted system call should be restarted"},
            /*  86 */ {"ESTRPIPE", "Streams pipe error"},
            /*  87 */ {"EUSERS", "Too many users"},
            /*  88 */ {"ENOTSOCK", "Socket operation on non-socket"},
            /*  89 */ {"EDESTADDRREQ", "Destination address required"},
            /*  90 */ {"EMSGSIZE", "Message too long"},
            /*  91 */ {"EPROTOTYPE", "Protocol wrong type for socket"},
            /*  92 */ {"ENOPROTOOPT", "Protocol not available"},
            /*  93 */ {"EPROTONOSUPPORT", "Protocol not supported"},
            /*  94 */ {"ESOCKTNOSUPPORT", "Socket type not supported"},
            /*  95 */ {"ENOTSUP", "Operation not supported"},
            /*  96 */ {"EPFNOSUPPORT", "Protocol family not supported"},
            /*  97 */ {"EAFNOSUPPORT", "Address family not supported by protocol"},
            /*  98 */ {"EADDRINUSE", "Address already in use"},
            /*  99 */ {"EADDRNOTAVAIL", "Cannot assign requested address"},
            /* 100 */ {"ENETDOWN", "Network is down"},
            /* 101 */ {"ENETUNREACH", "Network is unreachable"},
            /* 102 */ {"ENETRESET", "Network dropped connection on reset"},
            /* 103 */ {"ECONNABORTED", "Software caused connection abort"},
            /* 104 */ {"ECONNRESET", "Connection reset by peer"},
            /* 105 */ {"ENOBUFS", "No buffer space available"},
            /* 106 */ {"EISCONN", "Transport endpoint is already connected"},
            /* 107 */ {"ENOTCONN", "Transport endpoint is not connected"},
            /* 108 */ {"ESHUTDOWN", "Cannot send after transport endpoint shutdown"},
            /* 109 */ {"ETOOMANYREFS", "Too many references: cannot splice"},
            /* 110 */ {"ETIMEDOUT", "Connection timed out"},
            /* 111 */ {"ECONNREFUSED", "Connection refused"},
            /* 112 */ {"EHOSTDOWN", "Host is down"},
            /* 113 */ {"EHOSTUNREACH", "No route to host"},
            /* 114 */ {"EALREADY", "Operation already in progress"},
            /* 115 */ {"EINPROGRESS", "Operation now in progress"},
            /* 116 */ {"ESTALE", "Stale file handle"},
            /* 117 */ {"EUCLEAN", "Structure needs cleaning"},
            /* 118 */ {"ENOTNAM", "Not a XENIX named type file"},
            /* 119 */ {"ENAVAIL", "No XENIX semaphores available"},
            /* 120 */ {"EISNAM", "Is a named type file"},
            /* 121 */ {"EREMOTEIO", "Remote I/O error"},
            /* 122 */ {"EDQUOT", "Disk quota exceeded"},
            /* 123 */ {"ENOMEDIUM", "No medium found"},
            /* 124 */ {"EMEDIUMTYPE", "Wrong medium type"},
            /* 125 */ {"ECANCELED", "Operation canceled"},
            /* 126 */ {"ENOKEY", "Required key not available"},
            /* 127 */ {"EKEYEXPIRED", "Key has expired"},
            /* 128 */ {"EKEYREVOKED", "Key has been revoked"},
            /* 129 */ {"EKEYREJECTED", "Key was rejected by service"},
            /* 130 */ {"EOWNERDEAD", "Owner died"},
            /* 131 */ {"ENOTRECOVERABLE", "State not recoverable"},
            /* 132 */ {"ERFKILL", "Operation not possible due to RF-kill"},
    };

    private Platform() {
    }

    /** The symbol of an errno number, such as {@code "EBADF"}, or {@code "E<n>"} when unknown. */
    public static String errnoName(int errno) {
        String[] row = errnoRow(errno);
        return row == null ? "E" + errno : row[0];
    }

    /** The C library's message for an errno number, such as {@code "Bad file descriptor"}. */
    public static String errnoMessage(int errno) {
        String[] row = errnoRow(errno);
        return row == null ? "Unknown error " + errno : row[1];
    }

    private static String[] errnoRow(int errno) {
        return errno >= 0 && errno < ERRNO_TABLE.length ? ERRNO_TABLE[errno] : null;
    }
}
