package io.selectors4j.apps.common;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.net.Socket;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Host names to addresses, and listening and connecting with failures a user can read in one line:
 * {@code cannot listen on 127.0.0.1 port 10000: Address already in use}.
 */
public final class Addresses {
    private Addresses() {
    }

    /**
     * The address of {@code host} and {@code port}, IPv4 first when the name has both (so that
     * {@code localhost} is 127.0.0.1, as in the classic examples).
     *
     * @throws IOException {@code host not found: NAME} when the name does not resolve
     */
    public static InetSocketAddress resolve(String host, int port) throws IOException {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IOException("host not found: " + host, e);
        }
        for (InetAddress address : all) {
            if (address instanceof Inet4Address) {
                return new InetSocketAddress(address, port);
            }
        }
        return new InetSocketAddress(all[0], port);
    }

    /**
     * A non-blocking TCP listener on {@code host} and {@code port}, or a one-line failure. Its backlog
     * is 1,024 (capped by the kernel's {@code net.core.somaxconn}), so a connect storm does not overflow
     * it: every SYN the kernel drops costs its client a second before it tries again.
     */
    public static Socket listen(String host, int port) throws IOException {
        InetSocketAddress address = resolve(host, port);
        try {
            Socket listener = Socket.listenTcp(address, 1024);
            listener.setBlocking(false);
            return listener;
        } catch (NativeIOException e) {
            throw failure("cannot listen on", host, port, e);
        }
    }

    /**
     * A non-blocking UDP socket bound to {@code host} and {@code port}, or a one-line failure:
     * {@code cannot listen on 127.0.0.1 port 8037 (UDP): Address already in use}.
     */
    public static Socket bindUdp(String host, int port) throws IOException {
        InetSocketAddress address = resolve(host, port);
        Socket socket = address.getAddress() instanceof Inet4Address ? Socket.udp4() : Socket.udp6();
        try {
            socket.bind(address);
            socket.setBlocking(false);
            return socket;
        } catch (NativeIOException e) {
            socket.close();
            throw failure("cannot listen on", host, port + " (UDP)", e);
        }
    }

    /** A blocking TCP connection to {@code host} and {@code port}, or a one-line failure. */
    public static Socket connect(String host, int port) throws IOException {
        InetSocketAddress address = resolve(host, port);
        try {
            return Socket.connectTcp(address);
        } catch (NativeIOException e) {
            throw failure("cannot connect to", host, port, e);
        }
    }

    /** The port a bound socket has: the one the kernel chose when it was asked for port 0. */
    public static int port(Socket socket) throws IOException {
        return ((InetSocketAddress) socket.localAddress()).getPort();
    }

    /**
     * A failure on {@code host} and {@code port} told in one line, the one form of every program, such
     * as {@code what} = {@code "cannot listen on"}: {@code cannot listen on 127.0.0.1 port 10000:
     * Address already in use}, or {@code "cannot connect to"}.
     */
    public static IOException failure(String what, String host, int port, NativeIOException cause) {
        return failure(what, host, Integer.toString(port), cause);
    }

    /** {@link #failure(String, String, int, NativeIOException)} for a port told with a note: {@code 8037 (UDP)}. */
    public static IOException failure(String what, String host, String port, NativeIOException cause) {
        return new IOException(what + " " + host + " port " + port + ": " + Errno.message(cause.errno()), cause);
    }
}
