package io.selectors4j.loop;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One datagram endpoint as its {@link DatagramProtocol} sees it, asyncio's {@code DatagramTransport}.
 * Every method may be called from any thread; calls from another thread are handed to the loop in order.
 *
 * <p><b>Failed sends</b> reach {@link DatagramProtocol#errorReceived} on the loop thread, the same way
 * whatever the size and whichever thread sent: the kernel's errors (ECONNREFUSED, EMSGSIZE...),
 * ENOBUFS when the endpoint's queue is full, and EMSGSIZE for a datagram longer than UDP allows
 * (65,535 bytes), which never enters the queue. Only a wrong target (see {@link #sendTo}) is thrown to
 * the caller. <b>After {@link #close()}</b> (or once the loop closed), on every thread: sends are
 * dropped silently and {@code close} does nothing; sends made before the close on the same thread are
 * still sent first.
 */
public interface DatagramTransport {
    /** The loop this endpoint runs on. */
    EventLoop loop();

    /**
     * Sends one datagram of {@code len} bytes of {@code data} from {@code off} to {@code target}. A
     * datagram the socket cannot take now is queued and sent when it can; errors go to
     * {@link DatagramProtocol#errorReceived}. A {@code null} target sends to the remote address of an
     * endpoint opened with one ({@link EventLoop#openDatagram(SocketAddress, SocketAddress,
     * java.util.function.Supplier)}).
     *
     * @throws IllegalArgumentException {@code target} is null and the endpoint has no remote address, or
     *                                  is not a resolved {@link java.net.InetSocketAddress}
     */
    void sendTo(byte[] data, int off, int len, SocketAddress target);

    /**
     * Sends the buffer's remaining bytes as one datagram to {@code target} (as above) and advances its
     * position to its limit.
     */
    void sendTo(ByteBuffer data, SocketAddress target);

    /** Closes the endpoint; {@link DatagramProtocol#connectionLost} follows with {@code null}. */
    void close();

    /** Whether {@link #close()} has been called. */
    boolean isClosing();

    /** The bound local address. */
    SocketAddress localAddress();
}
