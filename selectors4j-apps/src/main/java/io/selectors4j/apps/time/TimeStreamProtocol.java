package io.selectors4j.apps.time;

import io.selectors4j.apps.common.EventLog;
import io.selectors4j.loop.Protocol;
import io.selectors4j.loop.Transport;
import io.selectors4j.net.PythonText;
import java.time.Clock;

/** The RFC 868 time service over TCP on the event loop: the 4 bytes, then the connection is closed. */
public final class TimeStreamProtocol implements Protocol {
    private final EventLog log;
    private final String prefix;
    private final Clock clock;

    /** A time connection logging with {@code prefix}, answering from {@code clock}. */
    public TimeStreamProtocol(EventLog log, String prefix, Clock clock) {
        this.log = log;
        this.prefix = prefix;
        this.clock = clock;
    }

    @Override
    public void connectionMade(Transport transport) {
        log.event(prefix + "connection from " + PythonText.address(transport.peerAddress()));
        transport.write(Rfc868.encode(clock.instant()));
        transport.close();
    }
}
