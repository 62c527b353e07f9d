package io.selectors4j.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.selectors4j.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * Raw downcalls to the C library, one cached handle per function.
 *
 * <p>Each method returns the C result unchanged; when it is -1 the failing call's errno is read from
 * the capture segment the call used. Every function comes in two forms: one taking that segment
 * explicitly as its first argument (read back with {@link #errno(MemorySegment)}), for hot paths that
 * keep their own from {@link #newCallState}; and one using the current thread's segment (read back
 * with {@link #errno()}), which costs a {@code ThreadLocal} lookup per call. Nothing here allocates.
 * Calls named {@code ...Critical} may take heap segments ({@code byte[]}-backed) and must only be used
 * for calls that cannot block.
 *
 * <p>Retrying on EINTR and turning failures into {@link NativeIOException} is the job of the callers
 * ({@link #check}, {@link #checkLong}); waits retry with the remaining time in their own loops.
 */
public final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = Structs.offset(CALL_STATE, "errno");
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    private static final FunctionDescriptor INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor INT_INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor INT_INT_INT_INT =
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor INT_INT_ADDR = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor INT_INT_ADDR_INT =
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor INT_INT_ADDR_ADDR =
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final FunctionDescriptor SOCKOPT =
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final FunctionDescriptor SETSOCKOPT =
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor TRANSFER_FLAGS =
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final FunctionDescriptor TRANSFER =
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    /** recv/send with the buffer as a raw native address (a {@code long}), so no segment is needed. */
    private static final FunctionDescriptor ADDRESS_TRANSFER_FLAGS =
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    private static final FunctionDescriptor ADDRESS_TRANSFER =
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final FunctionDescriptor VECTOR =
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);

    private static final MethodHandle SOCKET = handle("socket", INT_INT_INT_INT);
    private static final MethodHandle SOCKETPAIR =
            handle("socketpair", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle BIND = handle("bind", INT_INT_ADDR_INT);
    private static final MethodHandle LISTEN = handle("listen", INT_INT_INT);
    private static final MethodHandle ACCEPT4 =
            handle("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT = handle("connect", INT_INT_ADDR_INT);
    private static final MethodHandle GETSOCKOPT = handle("getsockopt", SOCKOPT);
    private static final MethodHandle SETSOCKOPT_H = handle("setsockopt", SETSOCKOPT);
    private static final MethodHandle GETSOCKNAME = handle("getsockname", INT_INT_ADDR_ADDR);
    private static final MethodHandle GETPEERNAME = handle("getpeername", INT_INT_ADDR_ADDR);
    private static final MethodHandle RECV = handle("recv", TRANSFER_FLAGS);
    private static final MethodHandle SEND = handle("send", TRANSFER_FLAGS);
    private static final MethodHandle RECV_CRITICAL = critical("recv", TRANSFER_FLAGS);
    private static final MethodHandle SEND_CRITICAL = critical("send", TRANSFER_FLAGS);
    private static final MethodHandle RECVFROM = handle("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SENDTO = handle("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle READ = handle("read", TRANSFER);
    private static final MethodHandle WRITE = handle("write", TRANSFER);
    private static final MethodHandle READV = handle("readv", VECTOR);
    private static final MethodHandle WRITEV = handle("writev", VECTOR);
    private static final MethodHandle SENDMSG = handle("sendmsg", VECTOR);
    private static final MethodHandle SHUTDOWN = handle("shutdown", INT_INT_INT);
    private static final MethodHandle CLOSE = handle("close", INT_INT);
    private static final MethodHandle PIPE2 = handle("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FCNTL = handle("fcntl", INT_INT_INT_INT, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle DUP = handle("dup", INT_INT);
    private static final MethodHandle DUP3 = handle("dup3", INT_INT_INT_INT);
    private static final MethodHandle RECV_ADDRESS = handle("recv", ADDRESS_TRANSFER_FLAGS);
    private static final MethodHandle SEND_ADDRESS = handle("send", ADDRESS_TRANSFER_FLAGS);
    private static final MethodHandle READ_ADDRESS = handle("read", ADDRESS_TRANSFER);
    private static final MethodHandle WRITE_ADDRESS = handle("write", ADDRESS_TRANSFER);
    private static final MethodHandle OPEN = handle("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle EVENTFD = handle("eventfd", INT_INT_INT);
    private static final MethodHandle FSTAT = handle("fstat", INT_INT_ADDR);
    private static final MethodHandle GETRLIMIT = handle("getrlimit", INT_INT_ADDR);
    private static final MethodHandle SETRLIMIT = handle("setrlimit", INT_INT_ADDR);
    private static final MethodHandle SELECT = handle("select",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle POLL =
            handle("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle EPOLL_CREATE1 = handle("epoll_create1", INT_INT);
    private static final MethodHandle EPOLL_CTL =
            handle("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT =
            handle("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    /*
     * syscall(2) is variadic: the C library reads every argument after the number as a long, so each
     * is passed as one (pointers as their address), whatever the kernel's own type for it.
     */
    private static final MethodHandle SYSCALL_2 = handle("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle SYSCALL_4 = handle("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle SYSCALL_6 = handle("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                    JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle MMAP = handle("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = handle("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));

    private Libc() {
    }

    @SuppressWarnings("restricted") // the one place that links to native code
    private static MethodHandle handle(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("C library function not found: " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static MethodHandle critical(String name, FunctionDescriptor descriptor) {
        return handle(name, descriptor, Linker.Option.critical(true));
    }

    private static MemorySegment state() {
        return STATE.get();
    }

    private static Error rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new AssertionError("native call failed", t);
    }

    /**
     * A new errno capture segment for the methods that take one explicitly. A caller that keeps one (per
     * thread, per selector, per loop) and hands it to every call avoids the per-thread lookup that the
     * methods without it make. A segment must be used by one thread at a time.
     */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** The current thread's own capture segment: the one the methods without a state argument use. */
    public static MemorySegment threadCallState() {
        return STATE.get();
    }

    /** The errno left by the last call of this class on the current thread. */
    public static int errno() {
        return state().get(JAVA_INT, ERRNO_OFFSET);
    }

    /** The errno captured into {@code state} by the last call that was given it. */
    public static int errno(MemorySegment state) {
        return state.get(JAVA_INT, ERRNO_OFFSET);
    }

    /** Like {@link #check(int, String)}, reading errno from {@code state}. */
    public static int check(MemorySegment state, int result, String call) throws NativeIOException {
        if (result < 0) {
            throw new NativeIOException(call, errno(state));
        }
        return result;
    }

    /** Returns {@code result}, or throws the current errno as {@link NativeIOException} when it is negative. */
    public static int check(int result, String call) throws NativeIOException {
        if (result < 0) {
            throw new NativeIOException(call, errno());
        }
        return result;
    }

    /** Like {@link #check(int, String)} for calls that return {@code ssize_t}. */
    public static long checkLong(long result, String call) throws NativeIOException {
        if (result < 0) {
            throw new NativeIOException(call, errno());
        }
        return result;
    }

    public static int socket(int domain, int type, int protocol) {
        return socket(state(), domain, type, protocol);
    }

    /** {@link #socket} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int socket(MemorySegment state, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(state, domain, type, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int socketpair(int domain, int type, int protocol, MemorySegment fds) {
        return socketpair(state(), domain, type, protocol, fds);
    }

    /** {@link #socketpair} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int socketpair(MemorySegment state, int domain, int type, int protocol, MemorySegment fds) {
        try {
            return (int) SOCKETPAIR.invokeExact(state, domain, type, protocol, fds);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int bind(int fd, MemorySegment addr, int len) {
        return bind(state(), fd, addr, len);
    }

    /** {@link #bind} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int bind(MemorySegment state, int fd, MemorySegment addr, int len) {
        try {
            return (int) BIND.invokeExact(state, fd, addr, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int listen(int fd, int backlog) {
        return listen(state(), fd, backlog);
    }

    /** {@link #listen} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int listen(MemorySegment state, int fd, int backlog) {
        try {
            return (int) LISTEN.invokeExact(state, fd, backlog);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int accept4(int fd, MemorySegment addr, MemorySegment lenPtr, int flags) {
        return accept4(state(), fd, addr, lenPtr, flags);
    }

    /** {@link #accept4} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int accept4(MemorySegment state, int fd, MemorySegment addr, MemorySegment lenPtr, int flags) {
        try {
            return (int) ACCEPT4.invokeExact(state, fd, addr, lenPtr, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int connect(int fd, MemorySegment addr, int len) {
        return connect(state(), fd, addr, len);
    }

    /** {@link #connect} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int connect(MemorySegment state, int fd, MemorySegment addr, int len) {
        try {
            return (int) CONNECT.invokeExact(state, fd, addr, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment lenPtr) {
        return getsockopt(state(), fd, level, name, value, lenPtr);
    }

    /** {@link #getsockopt} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int getsockopt(MemorySegment state, int fd, int level, int name, MemorySegment value,
                                 MemorySegment lenPtr) {
        try {
            return (int) GETSOCKOPT.invokeExact(state, fd, level, name, value, lenPtr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int setsockopt(int fd, int level, int name, MemorySegment value, int len) {
        return setsockopt(state(), fd, level, name, value, len);
    }

    /** {@link #setsockopt} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int setsockopt(MemorySegment state, int fd, int level, int name, MemorySegment value, int len) {
        try {
            return (int) SETSOCKOPT_H.invokeExact(state, fd, level, name, value, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getsockname(int fd, MemorySegment addr, MemorySegment lenPtr) {
        return getsockname(state(), fd, addr, lenPtr);
    }

    /** {@link #getsockname} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int getsockname(MemorySegment state, int fd, MemorySegment addr, MemorySegment lenPtr) {
        try {
            return (int) GETSOCKNAME.invokeExact(state, fd, addr, lenPtr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getpeername(int fd, MemorySegment addr, MemorySegment lenPtr) {
        return getpeername(state(), fd, addr, lenPtr);
    }

    /** {@link #getpeername} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int getpeername(MemorySegment state, int fd, MemorySegment addr, MemorySegment lenPtr) {
        try {
            return (int) GETPEERNAME.invokeExact(state, fd, addr, lenPtr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code recv} into native memory; may block on a blocking socket. */
    public static long recv(int fd, MemorySegment buf, long len, int flags) {
        return recv(state(), fd, buf, len, flags);
    }

    /** As {@link #recv(int, MemorySegment, long, int)}, capturing errno into {@code state}. */
    public static long recv(MemorySegment state, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) RECV.invokeExact(state, fd, buf, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code send} from native memory; may block on a blocking socket. */
    public static long send(int fd, MemorySegment buf, long len, int flags) {
        return send(state(), fd, buf, len, flags);
    }

    /** As {@link #send(int, MemorySegment, long, int)}, capturing errno into {@code state}. */
    public static long send(MemorySegment state, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) SEND.invokeExact(state, fd, buf, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code recv} that may take a heap segment; only for calls that cannot block. */
    public static long recvCritical(int fd, MemorySegment buf, long len, int flags) {
        return recvCritical(state(), fd, buf, len, flags);
    }

    /** As {@link #recvCritical(int, MemorySegment, long, int)}, capturing errno into {@code state}. */
    public static long recvCritical(MemorySegment state, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) RECV_CRITICAL.invokeExact(state, fd, buf, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code send} that may take a heap segment; only for calls that cannot block. */
    public static long sendCritical(int fd, MemorySegment buf, long len, int flags) {
        return sendCritical(state(), fd, buf, len, flags);
    }

    /** As {@link #sendCritical(int, MemorySegment, long, int)}, capturing errno into {@code state}. */
    public static long sendCritical(MemorySegment state, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) SEND_CRITICAL.invokeExact(state, fd, buf, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long recvfrom(int fd, MemorySegment buf, long len, int flags, MemorySegment addr,
                                MemorySegment lenPtr) {
        return recvfrom(state(), fd, buf, len, flags, addr, lenPtr);
    }

    /** {@link #recvfrom} capturing errno into {@code state} (see {@link #newCallState}). */
    public static long recvfrom(MemorySegment state, int fd, MemorySegment buf, long len, int flags,
                                MemorySegment addr, MemorySegment lenPtr) {
        try {
            return (long) RECVFROM.invokeExact(state, fd, buf, len, flags, addr, lenPtr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long sendto(int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrLen) {
        return sendto(state(), fd, buf, len, flags, addr, addrLen);
    }

    /** {@link #sendto} capturing errno into {@code state} (see {@link #newCallState}). */
    public static long sendto(MemorySegment state, int fd, MemorySegment buf, long len, int flags,
                              MemorySegment addr, int addrLen) {
        try {
            return (long) SENDTO.invokeExact(state, fd, buf, len, flags, addr, addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long read(int fd, MemorySegment buf, long len) {
        return read(state(), fd, buf, len);
    }

    /** {@link #read} capturing errno into {@code state} (see {@link #newCallState}). */
    public static long read(MemorySegment state, int fd, MemorySegment buf, long len) {
        try {
            return (long) READ.invokeExact(state, fd, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long write(int fd, MemorySegment buf, long len) {
        return write(state(), fd, buf, len);
    }

    /** {@link #write} capturing errno into {@code state} (see {@link #newCallState}). */
    public static long write(MemorySegment state, int fd, MemorySegment buf, long len) {
        try {
            return (long) WRITE.invokeExact(state, fd, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long readv(int fd, MemorySegment iov, int count) {
        return readv(state(), fd, iov, count);
    }

    /** {@link #readv} capturing errno into {@code state} (see {@link #newCallState}). */
    public static long readv(MemorySegment state, int fd, MemorySegment iov, int count) {
        try {
            return (long) READV.invokeExact(state, fd, iov, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long writev(int fd, MemorySegment iov, int count) {
        return writev(state(), fd, iov, count);
    }

    /** {@link #writev} capturing errno into {@code state} (see {@link #newCallState}). */
    public static long writev(MemorySegment state, int fd, MemorySegment iov, int count) {
        try {
            return (long) WRITEV.invokeExact(state, fd, iov, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code sendmsg(fd, msghdr, flags)}: a gathering send on a socket that can take send flags. */
    public static long sendmsg(MemorySegment state, int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) SENDMSG.invokeExact(state, fd, msghdr, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int shutdown(int fd, int how) {
        return shutdown(state(), fd, how);
    }

    /** {@link #shutdown} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int shutdown(MemorySegment state, int fd, int how) {
        try {
            return (int) SHUTDOWN.invokeExact(state, fd, how);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code close}; never retried: on Linux the descriptor is released even when it reports EINTR. */
    public static int close(int fd) {
        return close(state(), fd);
    }

    /** As {@link #close(int)}, capturing errno into {@code state}. */
    public static int close(MemorySegment state, int fd) {
        try {
            return (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int pipe2(MemorySegment fds, int flags) {
        return pipe2(state(), fds, flags);
    }

    /** {@link #pipe2} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int pipe2(MemorySegment state, MemorySegment fds, int flags) {
        try {
            return (int) PIPE2.invokeExact(state, fds, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code fcntl(fd, cmd, arg)} with an int argument (ignored by the commands that take none). */
    public static int fcntl(int fd, int cmd, int arg) {
        return fcntl(state(), fd, cmd, arg);
    }

    /** As {@link #fcntl(int, int, int)}, capturing errno into {@code state}. */
    public static int fcntl(MemorySegment state, int fd, int cmd, int arg) {
        try {
            return (int) FCNTL.invokeExact(state, fd, cmd, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int dup(int fd) {
        return dup(state(), fd);
    }

    /** {@link #dup} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int dup(MemorySegment state, int fd) {
        try {
            return (int) DUP.invokeExact(state, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int open(MemorySegment path, int flags, int mode) {
        return open(state(), path, flags, mode);
    }

    /** {@link #open} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int open(MemorySegment state, MemorySegment path, int flags, int mode) {
        try {
            return (int) OPEN.invokeExact(state, path, flags, mode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int eventfd(int initial, int flags) {
        return eventfd(state(), initial, flags);
    }

    /** {@link #eventfd} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int eventfd(MemorySegment state, int initial, int flags) {
        try {
            return (int) EVENTFD.invokeExact(state, initial, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int fstat(int fd, MemorySegment stat) {
        return fstat(state(), fd, stat);
    }

    /** {@link #fstat} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int fstat(MemorySegment state, int fd, MemorySegment stat) {
        try {
            return (int) FSTAT.invokeExact(state, fd, stat);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getrlimit(int resource, MemorySegment rlimit) {
        return getrlimit(state(), resource, rlimit);
    }

    /** {@link #getrlimit} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int getrlimit(MemorySegment state, int resource, MemorySegment rlimit) {
        try {
            return (int) GETRLIMIT.invokeExact(state, resource, rlimit);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int setrlimit(int resource, MemorySegment rlimit) {
        return setrlimit(state(), resource, rlimit);
    }

    /** {@link #setrlimit} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int setrlimit(MemorySegment state, int resource, MemorySegment rlimit) {
        try {
            return (int) SETRLIMIT.invokeExact(state, resource, rlimit);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int select(int nfds, MemorySegment read, MemorySegment write, MemorySegment except,
                             MemorySegment timeout) {
        return select(state(), nfds, read, write, except, timeout);
    }

    /** {@link #select} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int select(MemorySegment state, int nfds, MemorySegment read, MemorySegment write,
                             MemorySegment except, MemorySegment timeout) {
        try {
            return (int) SELECT.invokeExact(state, nfds, read, write, except, timeout);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int poll(MemorySegment fds, long count, int timeoutMillis) {
        return poll(state(), fds, count, timeoutMillis);
    }

    /** {@link #poll} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int poll(MemorySegment state, MemorySegment fds, long count, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(state, fds, count, timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int epollCreate1(int flags) {
        return epollCreate1(state(), flags);
    }

    /** {@link #epollCreate1} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int epollCreate1(MemorySegment state, int flags) {
        try {
            return (int) EPOLL_CREATE1.invokeExact(state, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        return epollCtl(state(), epfd, op, fd, event);
    }

    /** {@link #epollCtl} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int epollCtl(MemorySegment state, int epfd, int op, int fd, MemorySegment event) {
        try {
            return (int) EPOLL_CTL.invokeExact(state, epfd, op, fd, event);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        return epollWait(state(), epfd, events, maxEvents, timeoutMillis);
    }

    /** {@link #epollWait} capturing errno into {@code state} (see {@link #newCallState}). */
    public static int epollWait(MemorySegment state, int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT.invokeExact(state, epfd, events, maxEvents, timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code dup3(from, to, flags)}: makes {@code to} refer to {@code from}'s file, closing {@code to}'s
     * atomically; {@code flags} may be {@code O_CLOEXEC}.
     */
    public static int dup3(MemorySegment state, int from, int to, int flags) {
        try {
            return (int) DUP3.invokeExact(state, from, to, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code recv} into native memory given as a raw address; the caller keeps the memory alive and
     * in bounds for the call. May block on a blocking socket.
     */
    public static long recv(MemorySegment state, int fd, long address, long len, int flags) {
        try {
            return (long) RECV_ADDRESS.invokeExact(state, fd, address, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code send} from native memory given as a raw address; as the raw-address {@code recv}. */
    public static long send(MemorySegment state, int fd, long address, long len, int flags) {
        try {
            return (long) SEND_ADDRESS.invokeExact(state, fd, address, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code read} into native memory given as a raw address; as the raw-address {@code recv}. */
    public static long read(MemorySegment state, int fd, long address, long len) {
        try {
            return (long) READ_ADDRESS.invokeExact(state, fd, address, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code write} from native memory given as a raw address; as the raw-address {@code recv}. */
    public static long write(MemorySegment state, int fd, long address, long len) {
        try {
            return (long) WRITE_ADDRESS.invokeExact(state, fd, address, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code io_uring_setup(entries, params)}: the new ring's descriptor, or -1 with errno. The
     * parameters are read and written by the kernel during the call.
     */
    public static int ioUringSetup(MemorySegment state, int entries, MemorySegment params) {
        try {
            return (int) (long) SYSCALL_2.invokeExact(state, IoUringAbi.SYS_IO_URING_SETUP,
                    Integer.toUnsignedLong(entries), params.address());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code io_uring_enter(fd, toSubmit, minComplete, flags, arg, argSize)}: submits and, with
     * GETEVENTS, waits; {@code arg} is the address of the wait argument (0 for none), which the caller
     * keeps alive. Returns the number submitted, or -1 with errno. It may block: never critical.
     */
    public static int ioUringEnter(MemorySegment state, int fd, int toSubmit, int minComplete, int flags,
                                   long arg, long argSize) {
        try {
            return (int) (long) SYSCALL_6.invokeExact(state, IoUringAbi.SYS_IO_URING_ENTER, (long) fd,
                    Integer.toUnsignedLong(toSubmit), Integer.toUnsignedLong(minComplete),
                    Integer.toUnsignedLong(flags), arg, argSize);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code io_uring_register(fd, opcode, arg, count)}: {@code arg} is an address the caller keeps
     * alive (0 for none). Returns the kernel's result, or -1 with errno.
     */
    public static int ioUringRegister(MemorySegment state, int fd, int opcode, long arg, int count) {
        try {
            return (int) (long) SYSCALL_4.invokeExact(state, IoUringAbi.SYS_IO_URING_REGISTER, (long) fd,
                    Integer.toUnsignedLong(opcode), arg, Integer.toUnsignedLong(count));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code mmap}: the mapping's address, or -1 ({@code MAP_FAILED}) with errno. */
    public static long mmap(MemorySegment state, long address, long length, int protection, int flags, int fd,
                            long offset) {
        try {
            return (long) MMAP.invokeExact(state, address, length, protection, flags, fd, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code munmap(address, length)}. */
    public static int munmap(MemorySegment state, long address, long length) {
        try {
            return (int) MUNMAP.invokeExact(state, address, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
