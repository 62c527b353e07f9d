package io.selectors4j.loop;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The callbacks of one datagram endpoint, asyncio's {@code DatagramProtocol}. Every method runs on the
 * loop thread; an exception thrown by one is logged and the endpoint carries on.
 */
public interface DatagramProtocol {
    /** The endpoint is open; keep {@code transport} to send from it. */
    default void connectionMade(DatagramTransport transport) {
    }

    /**
     * A datagram arrived from {@code from}. {@code data} is a read-only view valid only during this
     * call.
     */
    default void datagramReceived(ByteBuffer data, SocketAddress from) {
    }

    /**
     * A send or receive failed, for example ECONNREFUSED when an ICMP port-unreachable message came
     * back for an earlier datagram. The endpoint stays open.
     */
    default void errorReceived(IOException error) {
    }

    /** The endpoint is closed: {@code cause} is {@code null} for an orderly close, else the error. */
    default void connectionLost(Throwable cause) {
    }
}
