package io.selectors4j.apps.time;

import io.selectors4j.apps.common.EventLog;
import io.selectors4j.loop.DatagramProtocol;
import io.selectors4j.loop.DatagramTransport;
import io.selectors4j.net.PythonText;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;

/** The RFC 868 time service over UDP on the event loop: any datagram gets the 4 bytes back. */
public final class TimeDatagramProtocol implements DatagramProtocol {
    private final EventLog log;
    private final String prefix;
    private final Clock clock;
    private DatagramTransport transport;

    /** A time endpoint logging with {@code prefix}, answering from {@code clock}. */
    public TimeDatagramProtocol(EventLog log, String prefix, Clock clock) {
        this.log = log;
        this.prefix = prefix;
        this.clock = clock;
    }

    @Override
    public void connectionMade(DatagramTransport transport) {
        this.transport = transport;
    }

    @Override
    public void datagramReceived(ByteBuffer data, SocketAddress from) {
        log.event(prefix + "datagram from " + PythonText.address(from));
        byte[] answer = Rfc868.encode(clock.instant());
        transport.sendTo(answer, 0, answer.length, from);
    }

    @Override
    public void errorReceived(IOException error) {
        // An ICMP error for an earlier answer: that client is gone, and no one else is concerned.
        log.event(prefix + "error: " + error.getMessage());
    }
}
