package io.selectors4j.apps.time;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.apps.common.Acceptor;
import io.selectors4j.apps.common.EventLog;
import io.selectors4j.apps.common.StopSignal;
import io.selectors4j.net.PythonText;
import io.selectors4j.net.Socket;
import io.selectors4j.selectors.Events;
import io.selectors4j.selectors.ReadyKeyConsumer;
import io.selectors4j.selectors.Selector;
import io.selectors4j.selectors.SelectorKey;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * The RFC 868 time server on a {@link Selector}: a TCP connection gets the 4 bytes and is closed; a
 * UDP datagram, whatever it holds, gets the 4 bytes back.
 */
final class TimeServer {
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final int DATAGRAMS_PER_WAKEUP = 64;

    private final Selector selector;
    private final Socket listener;
    private final Socket udp;
    private final Acceptor acceptor;
    private final EventLog log;
    private final Clock clock;
    private final Duration timeout;
    private final StopSignal stop;
    private final ReadyKeyConsumer dispatch = this::handle;
    private final byte[] datagram = new byte[512];

    TimeServer(Selector selector, Socket listener, Socket udp, EventLog log, Clock clock, Duration timeout,
            StopSignal stop) throws IOException {
        this.selector = selector;
        this.listener = listener;
        this.udp = udp;
        this.acceptor = new Acceptor(listener, log, "");
        this.log = log;
        this.clock = clock;
        this.timeout = timeout;
        this.stop = stop;
    }

    /** Answers until a stop is asked for. */
    void run() throws IOException {
        try (acceptor) {
            selector.register(listener, Events.READ);
            selector.register(udp, Events.READ);
            while (!stop.requested()) {
                int ready = selector.select(timeout, dispatch);
                if (ready == 0 && timeout != null && !stop.requested()) {
                    log.event("still waiting");
                }
            }
            log.line("stopping");
        }
    }

    private void handle(SelectorKey key, int events) throws IOException {
        if (key.fileobj() == listener) {
            answerConnections();
        } else {
            answerDatagrams();
        }
    }

    private void answerConnections() throws IOException {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
            Socket.Accepted accepted = acceptor.accept();
            if (accepted == null) {
                return;
            }
            try (Socket connection = accepted.socket()) {
                log.event("connection from " + PythonText.address(accepted.peer()));
                // A new connection's send buffer is empty: 4 bytes always fit, so one send is enough.
                connection.send(Rfc868.encode(clock.instant()));
            } catch (NativeIOException e) {
                if (e.errno() != Errno.EPIPE && e.errno() != Errno.ECONNRESET) {
                    throw e;
                }
                log.event("connection from " + PythonText.address(accepted.peer()) + " reset before the answer");
            }
        }
    }

    private void answerDatagrams() throws IOException {
        for (int i = 0; i < DATAGRAMS_PER_WAKEUP; i++) {
            Socket.Received received;
            try {
                received = udp.recvFrom(datagram);
            } catch (NativeIOException e) {
                // An ICMP error for an earlier answer surfaces here; it concerns no one waiting now.
                if (e.errno() == Errno.ECONNREFUSED) {
                    continue;
                }
                throw e;
            }
            if (received == null) {
                return;
            }
            log.event("datagram from " + PythonText.address(received.sender()));
            byte[] answer = Rfc868.encode(clock.instant());
            try {
                udp.sendTo(answer, 0, answer.length, received.sender());
            } catch (NativeIOException e) {
                log.event("cannot answer " + PythonText.address(received.sender()) + ": " + e.getMessage());
            }
        }
    }
}
