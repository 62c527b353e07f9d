package io.selectors4j.net;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.sys.Datagrams;
import io.selectors4j.sys.FileCalls;
import io.selectors4j.sys.Platform;
import io.selectors4j.sys.SocketCalls;
import io.selectors4j.sys.SocketOptions;
import io.selectors4j.sys.Transfers;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A socket: TCP over IPv4 or IPv6, a Unix domain stream socket, or UDP. Python's {@code socket.socket}.
 *
 * <p>Sockets start in blocking mode; {@link #setBlocking(boolean)} changes it. Every descriptor is
 * created close-on-exec. Transfers return a byte count, 0 at end of stream, or {@link #WOULD_BLOCK}
 * when a non-blocking socket has nothing to give or no room: a plain value, not an exception. Other
 * failures are {@link NativeIOException}s carrying the errno. Sends never raise SIGPIPE: a closed peer
 * gives EPIPE or ECONNRESET.
 *
 * <p>The blocking mode must be changed through this class only: the transfer path is chosen from it.
 *
 * <p>Closing a socket while other threads are inside calls on it is safe: no call ever runs on the
 * number once another object may own it. A call blocked in the kernel is woken (the socket is shut
 * down both ways) and returns end of stream or throws an {@link IOException} "socket is closed"; the
 * number is released when the last such call has left.
 */
public final class Socket extends OwnedDescriptor {
    /** Returned by recv and send when a non-blocking socket would block (EAGAIN). */
    public static final int WOULD_BLOCK = -1;
    /** {@link #shutdown(int)}: no more receiving. */
    public static final int SHUT_RD = Platform.SHUT_RD;
    /** {@link #shutdown(int)}: no more sending (the peer reads end of stream). */
    public static final int SHUT_WR = Platform.SHUT_WR;
    /** {@link #shutdown(int)}: both directions. */
    public static final int SHUT_RDWR = Platform.SHUT_RDWR;
    /** Option level of the socket itself, for {@link #getOption} and {@link #setOption}. */
    public static final int SOL_SOCKET = Platform.SOL_SOCKET;
    /** Option level of TCP. */
    public static final int IPPROTO_TCP = Platform.IPPROTO_TCP;
    /** Option level of IPv6. */
    public static final int IPPROTO_IPV6 = Platform.IPPROTO_IPV6;

    /** The two connected ends of {@link #pair()}. */
    public record Pair(Socket first, Socket second) {
    }

    /** A connection taken by {@link #accept()}: the new socket and the peer's address. */
    public record Accepted(Socket socket, SocketAddress peer) {
    }

    /** A datagram taken by {@link #recvFrom}: its length in the caller's array and its sender. */
    public record Received(int length, SocketAddress sender) {
    }

    private final int family;

    private Socket(int fd, int family, boolean blocking) {
        super(fd, "socket", blocking);
        this.family = family;
    }

    /** A new blocking TCP socket over IPv4. */
    public static Socket tcp4() throws IOException {
        return tcp4(false);
    }

    /** A new TCP socket over IPv4, non-blocking from creation when asked ({@code SOCK_NONBLOCK}). */
    public static Socket tcp4(boolean nonBlocking) throws IOException {
        return open(Platform.AF_INET, Platform.SOCK_STREAM, nonBlocking);
    }

    /**
     * A new blocking TCP socket over IPv6 (it also reaches IPv4 peers through mapped addresses unless
     * v6-only).
     */
    public static Socket tcp6() throws IOException {
        return tcp6(false);
    }

    /** A new TCP socket over IPv6, non-blocking from creation when asked ({@code SOCK_NONBLOCK}). */
    public static Socket tcp6(boolean nonBlocking) throws IOException {
        return open(Platform.AF_INET6, Platform.SOCK_STREAM, nonBlocking);
    }

    /** A new blocking Unix domain stream socket. */
    public static Socket unix() throws IOException {
        return unix(false);
    }

    /** A new Unix domain stream socket, non-blocking from creation when asked ({@code SOCK_NONBLOCK}). */
    public static Socket unix(boolean nonBlocking) throws IOException {
        return open(Platform.AF_UNIX, Platform.SOCK_STREAM, nonBlocking);
    }

    /** A new blocking UDP socket over IPv4, for {@link #sendTo} and {@link #recvFrom}. */
    public static Socket udp4() throws IOException {
        return open(Platform.AF_INET, Platform.SOCK_DGRAM, false);
    }

    /** A new blocking UDP socket over IPv6, for {@link #sendTo} and {@link #recvFrom}. */
    public static Socket udp6() throws IOException {
        return open(Platform.AF_INET6, Platform.SOCK_DGRAM, false);
    }

    private static Socket open(int family, int type, boolean nonBlocking) throws IOException {
        return new Socket(SocketCalls.socket(family, type, nonBlocking), family, !nonBlocking);
    }

    /**
     * Takes ownership of an inherited descriptor (from a parent process or a socket-activation
     * manager): checks that it is a stream or datagram socket of a family this class speaks (IPv4, IPv6,
     * Unix) and learns its family and blocking mode. The returned socket closes the descriptor.
     *
     * @throws IllegalArgumentException {@code fd} is not such a socket
     * @throws NativeIOException        {@code fd} is not open (EBADF)
     */
    public static Socket adopt(int fd) throws IOException {
        if (fd < 0) {
            throw new IllegalArgumentException("not a descriptor: " + fd);
        }
        int type;
        try {
            type = SocketCalls.type(fd);
        } catch (NativeIOException e) {
            if (e.errno() == Errno.ENOTSOCK) {
                throw new IllegalArgumentException("fd " + fd + " is not a socket", e);
            }
            throw e;
        }
        if (type != Platform.SOCK_STREAM && type != Platform.SOCK_DGRAM) {
            throw new IllegalArgumentException("fd " + fd + " is a socket of type " + type
                    + ", not a stream or datagram socket");
        }
        int family = SocketCalls.family(fd);
        if (family != Platform.AF_INET && family != Platform.AF_INET6 && family != Platform.AF_UNIX) {
            throw new IllegalArgumentException("fd " + fd + " is a socket of unsupported family " + family);
        }
        return new Socket(fd, family, FileCalls.isBlocking(fd));
    }

    /** Two connected Unix stream sockets, both blocking: Python's {@code socket.socketpair()}. */
    public static Pair pair() throws IOException {
        int[] fds = SocketCalls.socketpair(Platform.AF_UNIX, Platform.SOCK_STREAM);
        return new Pair(new Socket(fds[0], Platform.AF_UNIX, true), new Socket(fds[1], Platform.AF_UNIX, true));
    }

    /**
     * A blocking TCP listener: a socket of the address's family with {@code SO_REUSEADDR}, bound to
     * {@code address} (port 0 picks a free port; see {@link #localAddress()}) and listening.
     */
    public static Socket listenTcp(InetSocketAddress address, int backlog) throws IOException {
        Socket socket = open(familyOf(address), Platform.SOCK_STREAM, false);
        try {
            socket.setReuseAddress(true);
            socket.bind(address);
            socket.listen(backlog);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A blocking TCP socket connected to {@code address}; a closed port gives ECONNREFUSED. */
    public static Socket connectTcp(InetSocketAddress address) throws IOException {
        Socket socket = open(familyOf(address), Platform.SOCK_STREAM, false);
        try {
            socket.connect(address);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static int familyOf(InetSocketAddress address) {
        if (address.getAddress() == null) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        return address.getAddress() instanceof Inet6Address ? Platform.AF_INET6 : Platform.AF_INET;
    }

    /** Binds to an {@link InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress}. */
    public void bind(SocketAddress address) throws IOException {
        int fd = acquire();
        try {
            SocketCalls.bind(fd, family, address);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Starts listening with the given backlog. */
    public void listen(int backlog) throws IOException {
        int fd = acquire();
        try {
            SocketCalls.listen(fd, backlog);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /**
     * Takes a pending connection; the new socket is blocking and close-on-exec. Returns {@code null}
     * when this socket is non-blocking and no connection is pending.
     */
    public Accepted accept() throws IOException {
        return accept(false);
    }

    /**
     * Takes a pending connection, the new socket non-blocking when {@code nonBlocking} is true (set
     * atomically by {@code accept4}). Returns {@code null} when this socket is non-blocking and no
     * connection is pending.
     */
    public Accepted accept(boolean nonBlocking) throws IOException {
        int client;
        int fd = acquire();
        try {
            client = SocketCalls.accept(fd, context(), nonBlocking);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
        if (client < 0) {
            return null;
        }
        SocketAddress peer;
        try {
            peer = SocketCalls.acceptedPeer();
        } catch (RuntimeException e) {
            FileCalls.close(client);
            throw e;
        }
        return new Accepted(new Socket(client, family, !nonBlocking), peer);
    }

    /**
     * Connects to {@code address}. Returns true when connected; on a non-blocking socket returns false
     * while the connection is in progress: wait until the socket is writable, then call
     * {@link #finishConnect()}. A refused blocking connect throws ECONNREFUSED.
     */
    public boolean connect(SocketAddress address) throws IOException {
        int fd = acquire();
        try {
            return SocketCalls.connect(fd, family, address);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /**
     * Completes a non-blocking connect once the socket is writable: reads {@code SO_ERROR} and throws
     * it, for example ECONNREFUSED, as a {@link NativeIOException} with call {@code "connect"}.
     */
    public void finishConnect() throws IOException {
        int error;
        int fd = acquire();
        try {
            error = SocketCalls.soError(fd);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
        if (error != 0) {
            throw new NativeIOException("connect", error);
        }
    }

    /** Sets blocking ({@code true}) or non-blocking mode. */
    public void setBlocking(boolean blocking) throws IOException {
        changeBlocking(blocking);
    }

    /** Whether the socket is in blocking mode. */
    public boolean isBlocking() {
        return blockingMode();
    }

    /** Receives into {@code data}: bytes read, 0 at end of stream, or {@link #WOULD_BLOCK}. */
    public int recv(byte[] data) throws IOException {
        return recv(data, 0, data.length);
    }

    /** Receives up to {@code len} bytes into {@code data} at {@code off}: count, 0 at EOF, or {@link #WOULD_BLOCK}. */
    public int recv(byte[] data, int off, int len) throws IOException {
        int fd = acquire();
        try {
            return (int) Transfers.array(Transfers.RECV, fd, context(), data, off, len, blockingMode(), 0);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /**
     * Receives into the buffer's remaining space and advances its position: count, 0 at EOF, or
     * {@link #WOULD_BLOCK}.
     */
    public int recv(ByteBuffer buffer) throws IOException {
        int fd = acquire();
        try {
            return (int) Transfers.buffer(Transfers.RECV, fd, context(), buffer, blockingMode(), 0);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Receives into the segment (native or heap): count, 0 at EOF, or {@link #WOULD_BLOCK}. */
    public long recv(MemorySegment segment) throws IOException {
        int fd = acquire();
        try {
            return Transfers.segment(Transfers.RECV, fd, context(), segment, blockingMode(), 0);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Sends what it can of {@code data}: bytes sent or {@link #WOULD_BLOCK}. */
    public int send(byte[] data) throws IOException {
        return send(data, 0, data.length);
    }

    /** Sends what it can of {@code len} bytes from {@code off}: bytes sent or {@link #WOULD_BLOCK}. */
    public int send(byte[] data, int off, int len) throws IOException {
        int fd = acquire();
        try {
            return (int) Transfers.array(Transfers.SEND, fd, context(), data, off, len, blockingMode(), 0);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Sends what it can of the buffer's remaining bytes, advancing its position: count or {@link #WOULD_BLOCK}. */
    public int send(ByteBuffer buffer) throws IOException {
        int fd = acquire();
        try {
            return (int) Transfers.buffer(Transfers.SEND, fd, context(), buffer, blockingMode(), 0);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Sends what it can of the segment: bytes sent or {@link #WOULD_BLOCK}. */
    public long send(MemorySegment segment) throws IOException {
        int fd = acquire();
        try {
            return Transfers.segment(Transfers.SEND, fd, context(), segment, blockingMode(), 0);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /**
     * Sends the bytes of {@code count} native segments from {@code offset} in one {@code sendmsg} call
     * (at most 64 segments; the rest wait for the next call): a gathering write for an output queue.
     * Returns the bytes sent, which may end inside any segment, or {@link #WOULD_BLOCK}. A closed peer
     * gives EPIPE or ECONNRESET as an exception, never SIGPIPE (MSG_NOSIGNAL). A shared arena must not be
     * closed by another thread during the call.
     *
     * @throws IllegalArgumentException a segment is heap memory
     * @throws IllegalStateException    a segment's arena is closed
     */
    public long sendGathered(MemorySegment[] segments, int offset, int count) throws IOException {
        return sendGathered(segments, offset, count, 0, Long.MAX_VALUE);
    }

    /**
     * As {@link #sendGathered(MemorySegment[], int, int)}, of a window of the segments taken as one run
     * of bytes: from {@code skip} bytes into the first segment, at most {@code length} bytes. An output
     * queue of fixed chunks, the first partly sent and the last partly filled, is sent as it is, with
     * no slice made per call.
     *
     * @throws IllegalArgumentException a segment is heap memory, {@code length} is negative, or
     *                                  {@code skip} is negative or beyond the first segment
     * @throws IllegalStateException    a segment's arena is closed
     */
    public long sendGathered(MemorySegment[] segments, int offset, int count, long skip, long length)
            throws IOException {
        int fd = acquire();
        try {
            return Transfers.vector(Transfers.SEND, fd, context(), segments, offset, count, skip, length);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /**
     * Receives into {@code count} native segments from {@code offset} in one {@code readv} call, filling
     * each before the next: bytes received, 0 at end of stream, or {@link #WOULD_BLOCK}.
     *
     * @throws IllegalArgumentException a segment is heap memory or read-only
     * @throws IllegalStateException    a segment's arena is closed
     */
    public long recvScattered(MemorySegment[] segments, int offset, int count) throws IOException {
        int fd = acquire();
        try {
            return Transfers.vector(Transfers.READ, fd, context(), segments, offset, count);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Sends all of {@code data}: Python's {@code sendall}. */
    public void sendAll(byte[] data) throws IOException {
        sendAll(data, 0, data.length);
    }

    /**
     * Sends all {@code len} bytes from {@code off}, looping over partial sends. Meant for blocking
     * sockets; on a non-blocking socket that fills up it throws EAGAIN, as Python does.
     */
    public void sendAll(byte[] data, int off, int len) throws IOException {
        int end = off + len;
        while (off < end) {
            int n = send(data, off, end - off);
            if (n == WOULD_BLOCK) {
                throw new NativeIOException("send", Errno.EAGAIN);
            }
            off += n;
        }
    }

    /**
     * Sends one datagram (at most 64 KiB) to {@code target}: bytes sent or {@link #WOULD_BLOCK}.
     * Python's {@code sendto}.
     */
    public int sendTo(byte[] data, int off, int len, SocketAddress target) throws IOException {
        int fd = acquire();
        try {
            return (int) Datagrams.sendTo(fd, family, data, off, len, target);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /**
     * Receives one datagram into {@code data} (a longer datagram is cut to fit): its length and sender,
     * or {@code null} when a non-blocking socket has none waiting. Python's {@code recvfrom}.
     */
    public Received recvFrom(byte[] data) throws IOException {
        long n;
        int fd = acquire();
        try {
            n = Datagrams.recvFrom(fd, data, 0, data.length);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
        return n == Transfers.WOULD_BLOCK ? null : new Received((int) n, Datagrams.lastSender());
    }

    /** Sends one byte of TCP urgent (out-of-band) data: 1 when sent, or {@link #WOULD_BLOCK}. */
    public int sendUrgent(byte b) throws IOException {
        int fd = acquire();
        try {
            return (int) Transfers.array(Transfers.SEND, fd, context(), new byte[] {b}, 0, 1, true,
                    Platform.MSG_OOB);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Shuts down one or both directions: {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}. */
    public void shutdown(int how) throws IOException {
        if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR) {
            throw new IllegalArgumentException("shutdown: how must be SHUT_RD, SHUT_WR or SHUT_RDWR, not " + how);
        }
        int fd = acquire();
        try {
            SocketCalls.shutdown(fd, how);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Sets {@code TCP_NODELAY} (no Nagle delay). */
    public void setTcpNoDelay(boolean on) throws IOException {
        int fd = acquire();
        try {
            SocketCalls.setInt(fd, Platform.IPPROTO_TCP, Platform.TCP_NODELAY, on ? 1 : 0);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Whether {@code TCP_NODELAY} is set. */
    public boolean tcpNoDelay() throws IOException {
        int fd = acquire();
        try {
            return SocketCalls.getInt(fd, Platform.IPPROTO_TCP, Platform.TCP_NODELAY) != 0;
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Sets {@code SO_REUSEADDR}. */
    public void setReuseAddress(boolean on) throws IOException {
        int fd = acquire();
        try {
            SocketCalls.setInt(fd, Platform.SOL_SOCKET, Platform.SO_REUSEADDR, on ? 1 : 0);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Whether {@code SO_REUSEADDR} is set. */
    public boolean reuseAddress() throws IOException {
        int fd = acquire();
        try {
            return SocketCalls.getInt(fd, Platform.SOL_SOCKET, Platform.SO_REUSEADDR) != 0;
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Sets {@code SO_REUSEPORT} (several listeners on one port, the kernel spreading connections). */
    public void setReusePort(boolean on) throws IOException {
        int fd = acquire();
        try {
            SocketCalls.setInt(fd, Platform.SOL_SOCKET, Platform.SO_REUSEPORT, on ? 1 : 0);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Whether {@code SO_REUSEPORT} is set. */
    public boolean reusePort() throws IOException {
        int fd = acquire();
        try {
            return SocketCalls.getInt(fd, Platform.SOL_SOCKET, Platform.SO_REUSEPORT) != 0;
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Asks for a receive buffer of {@code bytes} ({@code SO_RCVBUF}; Linux doubles the value it keeps). */
    public void setReceiveBufferSize(int bytes) throws IOException {
        int fd = acquire();
        try {
            SocketCalls.setInt(fd, Platform.SOL_SOCKET, Platform.SO_RCVBUF, bytes);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** The receive buffer size the kernel reports ({@code SO_RCVBUF}). */
    public int receiveBufferSize() throws IOException {
        int fd = acquire();
        try {
            return SocketCalls.getInt(fd, Platform.SOL_SOCKET, Platform.SO_RCVBUF);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Asks for a send buffer of {@code bytes} ({@code SO_SNDBUF}; Linux doubles the value it keeps). */
    public void setSendBufferSize(int bytes) throws IOException {
        int fd = acquire();
        try {
            SocketCalls.setInt(fd, Platform.SOL_SOCKET, Platform.SO_SNDBUF, bytes);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** The send buffer size the kernel reports ({@code SO_SNDBUF}). */
    public int sendBufferSize() throws IOException {
        int fd = acquire();
        try {
            return SocketCalls.getInt(fd, Platform.SOL_SOCKET, Platform.SO_SNDBUF);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Sets {@code SO_LINGER}: seconds to linger on close, or -1 to turn lingering off. */
    public void setLinger(int seconds) throws IOException {
        int fd = acquire();
        try {
            SocketCalls.setLinger(fd, seconds);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** {@code SO_LINGER} in seconds, or -1 when off. */
    public int linger() throws IOException {
        int fd = acquire();
        try {
            return SocketCalls.linger(fd);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** The pending socket error ({@code SO_ERROR}), cleared by reading it; 0 when none. */
    public int soError() throws IOException {
        int fd = acquire();
        try {
            return SocketCalls.soError(fd);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Turns {@code SO_KEEPALIVE} on or off (probes per {@link #setKeepAliveIdle} and its siblings). */
    public void setKeepAlive(boolean on) throws IOException {
        setOption(SOL_SOCKET, Platform.SO_KEEPALIVE, on ? 1 : 0);
    }

    /** Whether {@code SO_KEEPALIVE} is on. */
    public boolean keepAlive() throws IOException {
        return getOption(SOL_SOCKET, Platform.SO_KEEPALIVE) != 0;
    }

    /** Sets {@code TCP_KEEPIDLE}: idle seconds before the first keep-alive probe. */
    public void setKeepAliveIdle(int seconds) throws IOException {
        setOption(IPPROTO_TCP, SocketOptions.TCP_KEEPIDLE, seconds);
    }

    /** {@code TCP_KEEPIDLE} in seconds. */
    public int keepAliveIdle() throws IOException {
        return getOption(IPPROTO_TCP, SocketOptions.TCP_KEEPIDLE);
    }

    /** Sets {@code TCP_KEEPINTVL}: seconds between keep-alive probes. */
    public void setKeepAliveInterval(int seconds) throws IOException {
        setOption(IPPROTO_TCP, SocketOptions.TCP_KEEPINTVL, seconds);
    }

    /** {@code TCP_KEEPINTVL} in seconds. */
    public int keepAliveInterval() throws IOException {
        return getOption(IPPROTO_TCP, SocketOptions.TCP_KEEPINTVL);
    }

    /** Sets {@code TCP_KEEPCNT}: unanswered probes before the connection is dropped. */
    public void setKeepAliveCount(int probes) throws IOException {
        setOption(IPPROTO_TCP, SocketOptions.TCP_KEEPCNT, probes);
    }

    /** {@code TCP_KEEPCNT}. */
    public int keepAliveCount() throws IOException {
        return getOption(IPPROTO_TCP, SocketOptions.TCP_KEEPCNT);
    }

    /**
     * Sets {@code IPV6_V6ONLY} on an IPv6 socket, before bind: true keeps it to IPv6 peers, false lets
     * it also reach IPv4 through mapped addresses.
     */
    public void setV6Only(boolean on) throws IOException {
        setOption(IPPROTO_IPV6, Platform.IPV6_V6ONLY, on ? 1 : 0);
    }

    /** Whether {@code IPV6_V6ONLY} is set (an IPv6 socket only). */
    public boolean v6Only() throws IOException {
        return getOption(IPPROTO_IPV6, Platform.IPV6_V6ONLY) != 0;
    }

    /**
     * An int-valued option, Python's {@code getsockopt(level, name)}: for example
     * {@code getOption(Socket.IPPROTO_TCP, 1)} reads {@code TCP_NODELAY}. An option the socket does not
     * know gives ENOPROTOOPT.
     */
    public int getOption(int level, int name) throws IOException {
        int fd = acquire();
        try {
            return SocketCalls.getInt(fd, level, name);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Sets an int-valued option, Python's {@code setsockopt(level, name, value)}. */
    public void setOption(int level, int name, int value) throws IOException {
        int fd = acquire();
        try {
            SocketCalls.setInt(fd, level, name, value);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** The address this socket is bound to ({@code getsockname}). */
    public SocketAddress localAddress() throws IOException {
        int fd = acquire();
        try {
            return SocketCalls.localAddress(fd);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** The address of the connected peer ({@code getpeername}); ENOTCONN when not connected. */
    public SocketAddress peerAddress() throws IOException {
        int fd = acquire();
        try {
            return SocketCalls.peerAddress(fd);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Shuts the socket down both ways so that calls blocked on it (recv, send, accept) return. */
    @Override
    void wakeBlockedCalls(int n) {
        try {
            SocketCalls.shutdown(n, SHUT_RDWR);
        } catch (NativeIOException e) {
            // ENOTCONN: an unconnected socket has no blocked transfer to wake
        }
    }

    @Override
    public String toString() {
        String name = switch (family) {
            case Platform.AF_INET -> "inet";
            case Platform.AF_INET6 -> "inet6";
            default -> "unix";
        };
        return "Socket[" + name + ", " + describe() + "]";
    }
}
