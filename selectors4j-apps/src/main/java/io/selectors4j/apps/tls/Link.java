package io.selectors4j.apps.tls;

import io.selectors4j.NativeIOException;
import io.selectors4j.apps.common.Addresses;
import io.selectors4j.loop.TlsSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A client's blocking connection to a server, over plain TCP (a selectors4j {@code Socket}) or TLS (a
 * loop connection, {@link TlsLink}): what the echo and chat clients send and receive through. Sending
 * and receiving may happen on two threads; {@link #close()} wakes a thread blocked in a receive.
 */
public interface Link extends AutoCloseable {
    /**
     * Connects to {@code host} and {@code port}, speaking TLS when {@code tls} is not {@code null}.
     *
     * @throws IOException one line: {@code cannot connect to HOST port N: reason}
     */
    static Link connect(String host, int port, TlsSettings tls) throws IOException {
        if (tls == null) {
            return new PlainLink(Addresses.connect(host, port));
        }
        InetSocketAddress address = Addresses.resolve(host, port);
        return TlsLink.connect(address, tls, host, port);
    }

    /** Sends all of {@code data}. */
    void sendAll(byte[] data) throws IOException;

    /**
     * Receives at most {@code len} bytes into {@code data}; 0 at end of stream.
     *
     * @param patient wait as long as it takes; otherwise give up after {@code Reads.PATIENCE} with
     *                {@code no answer within 10 s}
     */
    int recv(byte[] data, int off, int len, boolean patient) throws IOException;

    /**
     * Tells the server this client is done sending (a half-close; over TLS a close_notify first);
     * receiving goes on until the server closes.
     */
    void finishSending();

    /** The local address, as the classic clients print it. */
    SocketAddress localAddress() throws IOException;

    /** Closes the connection; a thread blocked in {@link #recv} returns. */
    @Override
    void close();

    /** A failure to connect, told as {@link Addresses} tells it. */
    static IOException connectFailure(String host, int port, Throwable cause) {
        if (cause instanceof NativeIOException e) {
            return Addresses.failure("cannot connect to", host, port, e);
        }
        return new IOException("cannot connect to " + host + " port " + port + ": " + cause.getMessage(), cause);
    }
}
