package io.selectors4j.loop;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One datagram endpoint as its {@link DatagramProtocol} sees it, asyncio's {@code DatagramTransport}.
 * Every method may be called from any thread; calls from another thread are handed to the loop in order.
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
     * @throws IllegalArgumentException {@code target} is null and the endpoint has no remote address
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
