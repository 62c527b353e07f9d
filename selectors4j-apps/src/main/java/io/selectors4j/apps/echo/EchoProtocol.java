package io.selectors4j.apps.echo;

import io.selectors4j.apps.common.EventLog;
import io.selectors4j.net.PythonText;
import io.selectors4j.loop.Protocol;
import io.selectors4j.loop.Transport;
import java.nio.ByteBuffer;

/**
 * The echo service on the event loop: every byte received is written back. When the transport's queue
 * passes its high-water mark the connection stops reading until it drains to the low-water mark, so a
 * client that does not read holds a bounded amount of memory. Each event is one log line with the
 * given prefix.
 */
public final class EchoProtocol implements Protocol {
    private final EventLog log;
    private final String prefix;
    private final int highWater;
    private final int lowWater;
    private Transport transport;

    /**
     * An echo connection logging with {@code prefix}, such as {@code "echo: "}, that stops reading above
     * {@code highWater} queued bytes and starts again at or below {@code lowWater}.
     *
     * @throws IllegalArgumentException {@code lowWater > highWater}, a negative mark or a zero high mark
     */
    public EchoProtocol(EventLog log, String prefix, int highWater, int lowWater) {
        if (highWater < 1 || lowWater < 0 || lowWater > highWater) {
            throw new IllegalArgumentException("watermarks need 0 <= low <= high and high >= 1, not high "
                    + highWater + ", low " + lowWater);
        }
        this.log = log;
        this.prefix = prefix;
        this.highWater = highWater;
        this.lowWater = lowWater;
    }

    @Override
    public void connectionMade(Transport transport) {
        this.transport = transport;
        transport.setWriteBufferLimits(highWater, lowWater);
        if (log.eventsShown()) {
            log.event(prefix + "connection from " + peer());
        }
    }

    /** The peer in Python's form, made only for a line that is shown, so that a connection holds no text. */
    private String peer() {
        return PythonText.address(transport.peerAddress());
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (log.eventsShown()) {
            byte[] copy = new byte[data.remaining()];
            data.get(data.position(), copy);
            log.event(prefix + "received " + PythonText.bytes(copy) + " from " + peer());
        }
        transport.write(data);
    }

    @Override
    public void pauseWriting() {
        transport.pauseReading();
    }

    @Override
    public void resumeWriting() {
        transport.resumeReading();
    }

    @Override
    public void connectionLost(Throwable cause) {
        if (log.eventsShown()) {
            log.event(prefix + "closing " + peer() + (cause == null ? "" : ": " + cause.getMessage()));
        }
    }
}
