package io.selectors4j.net;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.sys.Datagrams;
import io.selectors4j.sys.FileCalls;
import io.selectors4j.sys.Platform;
import io.selectors4j.sys.SocketCalls;
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
 * Closing a socket while another thread is inside a call on it is the program's business, as in Python.
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

    /** A new TCP socket over IPv4. */
    public static Socket tcp4() throws IOException {
        return open(Platform.AF_INET);
    }

    /** A new TCP socket over IPv6 (it also reaches IPv4 peers through mapped addresses unless v6-only). */
    public static Socket tcp6() throws IOException {
        return open(Platform.AF_INET6);
    }

    /** A new Unix domain stream socket. */
    public static Socket unix() throws IOException {
        return open(Platform.AF_UNIX);
    }

    /** A new UDP socket over IPv4, for {@link #sendTo} and {@link #recvFrom}. */
    public static Socket udp4() throws IOException {
        return new Socket(SocketCalls.socket(Platform.AF_INET, Platform.SOCK_DGRAM), Platform.AF_INET, true);
    }

    /** A new UDP socket over IPv6, for {@link #sendTo} and {@link #recvFrom}. */
    public static Socket udp6() throws IOException {
        return new Socket(SocketCalls.socket(Platform.AF_INET6, Platform.SOCK_DGRAM), Platform.AF_INET6, true);
    }

    private static Socket open(int family) throws IOException {
        return new Socket(SocketCalls.socket(family, Platform.SOCK_STREAM), family, true);
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
        Socket socket = open(familyOf(address));
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
        Socket socket = open(familyOf(address));
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
        SocketCalls.bind(live(), family, address);
    }

    /** Starts listening with the given backlog. */
    public void listen(int backlog) throws IOException {
        SocketCalls.listen(live(), backlog);
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
        int client = SocketCalls.accept(live(), nonBlocking);
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
        return SocketCalls.connect(live(), family, address);
    }

    /**
     * Completes a non-blocking connect once the socket is writable: reads {@code SO_ERROR} and throws
     * it, for example ECONNREFUSED, as a {@link NativeIOException} with call {@code "connect"}.
     */
    public void finishConnect() throws IOException {
        int error = SocketCalls.soError(live());
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
        return (int) Transfers.array(Transfers.RECV, live(), data, off, len, blockingMode(), 0);
    }

    /**
     * Receives into the buffer's remaining space and advances its position: count, 0 at EOF, or
     * {@link #WOULD_BLOCK}.
     */
    public int recv(ByteBuffer buffer) throws IOException {
        return (int) Transfers.buffer(Transfers.RECV, live(), buffer, blockingMode(), 0);
    }

    /** Receives into the segment (native or heap): count, 0 at EOF, or {@link #WOULD_BLOCK}. */
    public long recv(MemorySegment segment) throws IOException {
        return Transfers.segment(Transfers.RECV, live(), segment, blockingMode(), 0);
    }

    /** Sends what it can of {@code data}: bytes sent or {@link #WOULD_BLOCK}. */
    public int send(byte[] data) throws IOException {
        return send(data, 0, data.length);
    }

    /** Sends what it can of {@code len} bytes from {@code off}: bytes sent or {@link #WOULD_BLOCK}. */
    public int send(byte[] data, int off, int len) throws IOException {
        return (int) Transfers.array(Transfers.SEND, live(), data, off, len, blockingMode(), 0);
    }

    /** Sends what it can of the buffer's remaining bytes, advancing its position: count or {@link #WOULD_BLOCK}. */
    public int send(ByteBuffer buffer) throws IOException {
        return (int) Transfers.buffer(Transfers.SEND, live(), buffer, blockingMode(), 0);
    }

    /** Sends what it can of the segment: bytes sent or {@link #WOULD_BLOCK}. */
    public long send(MemorySegment segment) throws IOException {
        return Transfers.segment(Transfers.SEND, live(), segment, blockingMode(), 0);
    }

    /**
     * Sends the bytes of {@code count} native segments from {@code offset} in one {@code writev} call
     * (at most 64 segments; the rest wait for the next call): a gathering write for an output queue.
     * Returns the bytes sent, which may end inside any segment, or {@link #WOULD_BLOCK}. A closed peer
     * gives EPIPE or ECONNRESET as an exception (the JVM ignores SIGPIPE). A shared arena must not be
     * closed by another thread during the call.
     *
     * @throws IllegalArgumentException a segment is heap memory
     * @throws IllegalStateException    a segment's arena is closed
     */
    public long sendGathered(MemorySegment[] segments, int offset, int count) throws IOException {
        return Transfers.vector(Transfers.WRITE, live(), segments, offset, count);
    }

    /**
     * Receives into {@code count} native segments from {@code offset} in one {@code readv} call, filling
     * each before the next: bytes received, 0 at end of stream, or {@link #WOULD_BLOCK}.
     *
     * @throws IllegalArgumentException a segment is heap memory or read-only
     * @throws IllegalStateException    a segment's arena is closed
     */
    public long recvScattered(MemorySegment[] segments, int offset, int count) throws IOException {
        return Transfers.vector(Transfers.READ, live(), segments, offset, count);
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
        return (int) Datagrams.sendTo(live(), family, data, off, len, target);
    }

    /**
     * Receives one datagram into {@code data} (a longer datagram is cut to fit): its length and sender,
     * or {@code null} when a non-blocking socket has none waiting. Python's {@code recvfrom}.
     */
    public Received recvFrom(byte[] data) throws IOException {
        long n = Datagrams.recvFrom(live(), data, 0, data.length);
        return n == Transfers.WOULD_BLOCK ? null : new Received((int) n, Datagrams.lastSender());
    }

    /** Sends one byte of TCP urgent (out-of-band) data: 1 when sent, or {@link #WOULD_BLOCK}. */
    public int sendUrgent(byte b) throws IOException {
        return (int) Transfers.array(Transfers.SEND, live(), new byte[] {b}, 0, 1, true, Platform.MSG_OOB);
    }

    /** Shuts down one or both directions: {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}. */
    public void shutdown(int how) throws IOException {
        if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR) {
            throw new IllegalArgumentException("shutdown: how must be SHUT_RD, SHUT_WR or SHUT_RDWR, not " + how);
        }
        SocketCalls.shutdown(live(), how);
    }

    /** Sets {@code TCP_NODELAY} (no Nagle delay). */
    public void setTcpNoDelay(boolean on) throws IOException {
        SocketCalls.setInt(live(), Platform.IPPROTO_TCP, Platform.TCP_NODELAY, on ? 1 : 0);
    }

    /** Whether {@code TCP_NODELAY} is set. */
    public boolean tcpNoDelay() throws IOException {
        return SocketCalls.getInt(live(), Platform.IPPROTO_TCP, Platform.TCP_NODELAY) != 0;
    }

    /** Sets {@code SO_REUSEADDR}. */
    public void setReuseAddress(boolean on) throws IOException {
        SocketCalls.setInt(live(), Platform.SOL_SOCKET, Platform.SO_REUSEADDR, on ? 1 : 0);
    }

    /** Whether {@code SO_REUSEADDR} is set. */
    public boolean reuseAddress() throws IOException {
        return SocketCalls.getInt(live(), Platform.SOL_SOCKET, Platform.SO_REUSEADDR) != 0;
    }

    /** Sets {@code SO_REUSEPORT} (several listeners on one port, the kernel spreading connections). */
    public void setReusePort(boolean on) throws IOException {
        SocketCalls.setInt(live(), Platform.SOL_SOCKET, Platform.SO_REUSEPORT, on ? 1 : 0);
    }

    /** Whether {@code SO_REUSEPORT} is set. */
    public boolean reusePort() throws IOException {
        return SocketCalls.getInt(live(), Platform.SOL_SOCKET, Platform.SO_REUSEPORT) != 0;
    }

    /** Asks for a receive buffer of {@code bytes} ({@code SO_RCVBUF}; Linux doubles the value it keeps). */
    public void setReceiveBufferSize(int bytes) throws IOException {
        SocketCalls.setInt(live(), Platform.SOL_SOCKET, Platform.SO_RCVBUF, bytes);
    }

    /** The receive buffer size the kernel reports ({@code SO_RCVBUF}). */
    public int receiveBufferSize() throws IOException {
        return SocketCalls.getInt(live(), Platform.SOL_SOCKET, Platform.SO_RCVBUF);
    }

    /** Asks for a send buffer of {@code bytes} ({@code SO_SNDBUF}; Linux doubles the value it keeps). */
    public void setSendBufferSize(int bytes) throws IOException {
        SocketCalls.setInt(live(), Platform.SOL_SOCKET, Platform.SO_SNDBUF, bytes);
    }

    /** The send buffer size the kernel reports ({@code SO_SNDBUF}). */
    public int sendBufferSize() throws IOException {
        return SocketCalls.getInt(live(), Platform.SOL_SOCKET, Platform.SO_SNDBUF);
    }

    /** Sets {@code SO_LINGER}: seconds to linger on close, or -1 to turn lingering off. */
    public void setLinger(int seconds) throws IOException {
        SocketCalls.setLinger(live(), seconds);
    }

    /** {@code SO_LINGER} in seconds, or -1 when off. */
    public int linger() throws IOException {
        return SocketCalls.linger(live());
    }

    /** The pending socket error ({@code SO_ERROR}), cleared by reading it; 0 when none. */
    public int soError() throws IOException {
        return SocketCalls.soError(live());
    }

    /** The address this socket is bound to ({@code getsockname}). */
    public SocketAddress localAddress() throws IOException {
        return SocketCalls.localAddress(live());
    }

    /** The address of the connected peer ({@code getpeername}); ENOTCONN when not connected. */
    public SocketAddress peerAddress() throws IOException {
        return SocketCalls.peerAddress(live());
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
