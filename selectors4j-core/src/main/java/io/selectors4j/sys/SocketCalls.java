package io.selectors4j.sys;

import io.selectors4j.NativeIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketAddress;

/**
 * Socket system calls in Java terms: descriptors as ints, addresses as {@link SocketAddress}, failures
 * as {@link NativeIOException}. Calls that may block are retried on EINTR. Every descriptor is created
 * close-on-exec.
 */
public final class SocketCalls {
    private static final long POLL_EVENTS = Structs.offset(Structs.POLLFD, "events");
    private static final long POLL_REVENTS = Structs.offset(Structs.POLLFD, "revents");
    private static final int SO_ACCEPTCONN = 30;
    private static final int EPROTO = 71;
    private static final int ENONET = 64;
    private static final int EHOSTDOWN = 112;
    private static final long L_ONOFF = Structs.offset(Structs.LINGER, "l_onoff");
    private static final long L_LINGER = Structs.offset(Structs.LINGER, "l_linger");

    private SocketCalls() {
    }

    /**
     * {@code socket(family, type | SOCK_CLOEXEC, 0)}, with {@code SOCK_NONBLOCK} too when asked: the
     * modes are set in the one system call.
     */
    public static int socket(int family, int type, boolean nonBlocking) throws NativeIOException {
        int flags = Platform.SOCK_CLOEXEC | (nonBlocking ? Platform.SOCK_NONBLOCK : 0);
        return Libc.check(Libc.socket(family, type | flags, 0), "socket");
    }

    /** {@code SO_TYPE} ({@code SOCK_STREAM}, {@code SOCK_DGRAM}...); ENOTSOCK when {@code fd} is no socket. */
    public static int type(int fd) throws NativeIOException {
        return getInt(fd, Platform.SOL_SOCKET, Platform.SO_TYPE);
    }

    /** {@code SO_DOMAIN}: the socket's address family. */
    public static int family(int fd) throws NativeIOException {
        return getInt(fd, Platform.SOL_SOCKET, SocketOptions.SO_DOMAIN);
    }

    /** {@code socketpair(family, type | SOCK_CLOEXEC, 0)}: the two descriptors. */
    public static int[] socketpair(int family, int type) throws NativeIOException {
        MemorySegment fds = ThreadScratch.get().fdPair;
        Libc.check(Libc.socketpair(family, type | Platform.SOCK_CLOEXEC, 0, fds), "socketpair");
        return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
    }

    /** {@code bind} to an address, encoded for a socket of the given family. */
    public static void bind(int fd, int family, SocketAddress address) throws NativeIOException {
        MemorySegment sa = ThreadScratch.get().address;
        int len = SockAddrs.encode(address, family, sa);
        Libc.check(Libc.bind(fd, sa, len), "bind");
    }

    /** {@code listen}. */
    public static void listen(int fd, int backlog) throws NativeIOException {
        Libc.check(Libc.listen(fd, backlog), "listen");
    }

    /**
     * {@code accept4} with CLOEXEC (and NONBLOCK when asked): the new descriptor, or -1 when a
     * non-blocking listener has nothing pending. The peer's address is then available from
     * {@link #acceptedPeer()} on the same thread. A connection that failed before it was taken (see
     * {@link #isFailedPendingConnection}) is skipped: the next one is taken, or -1 returned when a
     * non-blocking listener has no more.
     */
    public static int accept(int fd, CallContext context, boolean nonBlocking) throws NativeIOException {
        ThreadScratch scratch = context.scratch();
        MemorySegment state = scratch.callState;
        int flags = Platform.SOCK_CLOEXEC | (nonBlocking ? Platform.SOCK_NONBLOCK : 0);
        while (true) {
            scratch.length.set(ValueLayout.JAVA_INT, 0, (int) Structs.SOCKADDR_STORAGE.byteSize());
            int result = Libc.accept4(state, fd, scratch.address, scratch.length, flags);
            if (result >= 0) {
                return result;
            }
            int errno = Libc.errno(state);
            if (errno == Platform.EAGAIN) {
                return -1;
            }
            if (errno == Platform.EINTR) {
                continue;
            }
            if (!isFailedPendingConnection(errno) || errno == Platform.EOPNOTSUPP && !isListening(fd)) {
                throw new NativeIOException("accept", errno);
            }
        }
    }

    /**
     * Whether an accept error belongs to the pending connection rather than the listener: the
     * connection was aborted (ECONNABORTED), or, as accept(2) says Linux does, a network error already
     * pending on the new socket was passed on (EPROTO, ENOPROTOOPT, EHOSTDOWN, ENONET, EHOSTUNREACH,
     * EOPNOTSUPP, ENETUNREACH, ENETDOWN). Such a connection is gone; the server takes the next one.
     * EOPNOTSUPP also means "not a stream socket", which {@link #accept} tells apart by asking whether
     * the socket listens.
     */
    static boolean isFailedPendingConnection(int errno) {
        return switch (errno) {
            case Platform.ECONNABORTED, EPROTO, Platform.ENOPROTOOPT, EHOSTDOWN, ENONET, Platform.EHOSTUNREACH,
                 Platform.EOPNOTSUPP, Platform.ENETUNREACH, Platform.ENETDOWN -> true;
            default -> false;
        };
    }

    private static boolean isListening(int fd) {
        try {
            return getInt(fd, Platform.SOL_SOCKET, SO_ACCEPTCONN) != 0;
        } catch (NativeIOException e) {
            return false;
        }
    }

    /** The peer address of the last successful {@link #accept} on this thread. */
    public static SocketAddress acceptedPeer() {
        ThreadScratch scratch = ThreadScratch.get();
        return SockAddrs.decode(scratch.address, scratch.length.get(ValueLayout.JAVA_INT, 0));
    }

    /**
     * {@code connect}: true when connected, false when a non-blocking socket's connection is in
     * progress (EINPROGRESS). A blocking connect interrupted by a signal waits for the outcome.
     */
    public static boolean connect(int fd, int family, SocketAddress address) throws NativeIOException {
        MemorySegment sa = ThreadScratch.get().address;
        int len = SockAddrs.encode(address, family, sa);
        if (Libc.connect(fd, sa, len) == 0) {
            return true;
        }
        int errno = Libc.errno();
        if (errno == Platform.EINPROGRESS) {
            return false;
        }
        if (errno == Platform.EINTR) {
            awaitWritable(fd);
            int error = soError(fd);
            if (error != 0) {
                throw new NativeIOException("connect", error);
            }
            return true;
        }
        throw new NativeIOException("connect", errno);
    }

    private static void awaitWritable(int fd) throws NativeIOException {
        MemorySegment pfd = ThreadScratch.get().pollfd;
        while (true) {
            pfd.set(ValueLayout.JAVA_INT, 0, fd);
            pfd.set(ValueLayout.JAVA_SHORT, POLL_EVENTS, (short) Platform.POLLOUT);
            pfd.set(ValueLayout.JAVA_SHORT, POLL_REVENTS, (short) 0);
            int n = Libc.poll(pfd, 1, -1);
            if (n > 0) {
                return;
            }
            if (n < 0 && Libc.errno() != Platform.EINTR) {
                throw new NativeIOException("poll", Libc.errno());
            }
        }
    }

    /** {@code getsockname}. */
    public static SocketAddress localAddress(int fd) throws NativeIOException {
        ThreadScratch scratch = ThreadScratch.get();
        scratch.length.set(ValueLayout.JAVA_INT, 0, (int) Structs.SOCKADDR_STORAGE.byteSize());
        Libc.check(Libc.getsockname(fd, scratch.address, scratch.length), "getsockname");
        return SockAddrs.decode(scratch.address, scratch.length.get(ValueLayout.JAVA_INT, 0));
    }

    /** {@code getpeername}. */
    public static SocketAddress peerAddress(int fd) throws NativeIOException {
        ThreadScratch scratch = ThreadScratch.get();
        scratch.length.set(ValueLayout.JAVA_INT, 0, (int) Structs.SOCKADDR_STORAGE.byteSize());
        Libc.check(Libc.getpeername(fd, scratch.address, scratch.length), "getpeername");
        return SockAddrs.decode(scratch.address, scratch.length.get(ValueLayout.JAVA_INT, 0));
    }

    /** {@code shutdown(fd, how)}. */
    public static void shutdown(int fd, int how) throws NativeIOException {
        Libc.check(Libc.shutdown(fd, how), "shutdown");
    }

    /** An int-valued socket option. */
    public static int getInt(int fd, int level, int option) throws NativeIOException {
        ThreadScratch scratch = ThreadScratch.get();
        scratch.length.set(ValueLayout.JAVA_INT, 0, 4);
        Libc.check(Libc.getsockopt(fd, level, option, scratch.value, scratch.length), "getsockopt");
        return scratch.value.get(ValueLayout.JAVA_INT, 0);
    }

    /** Sets an int-valued socket option. */
    public static void setInt(int fd, int level, int option, int value) throws NativeIOException {
        MemorySegment v = ThreadScratch.get().value;
        v.set(ValueLayout.JAVA_INT, 0, value);
        Libc.check(Libc.setsockopt(fd, level, option, v, 4), "setsockopt");
    }

    /** {@code SO_ERROR}: the pending error, cleared by reading it; 0 when none. */
    public static int soError(int fd) throws NativeIOException {
        return getInt(fd, Platform.SOL_SOCKET, Platform.SO_ERROR);
    }

    /** {@code SO_LINGER} in seconds, or -1 when lingering is off. */
    public static int linger(int fd) throws NativeIOException {
        ThreadScratch scratch = ThreadScratch.get();
        scratch.length.set(ValueLayout.JAVA_INT, 0, (int) Structs.LINGER.byteSize());
        Libc.check(Libc.getsockopt(fd, Platform.SOL_SOCKET, Platform.SO_LINGER, scratch.linger, scratch.length),
                "getsockopt");
        return scratch.linger.get(ValueLayout.JAVA_INT, L_ONOFF) == 0
                ? -1 : scratch.linger.get(ValueLayout.JAVA_INT, L_LINGER);
    }

    /** Sets {@code SO_LINGER}: seconds, or -1 to turn lingering off. */
    public static void setLinger(int fd, int seconds) throws NativeIOException {
        MemorySegment l = ThreadScratch.get().linger;
        l.set(ValueLayout.JAVA_INT, L_ONOFF, seconds < 0 ? 0 : 1);
        l.set(ValueLayout.JAVA_INT, L_LINGER, Math.max(seconds, 0));
        Libc.check(Libc.setsockopt(fd, Platform.SOL_SOCKET, Platform.SO_LINGER, l, (int) Structs.LINGER.byteSize()),
                "setsockopt");
    }
}
