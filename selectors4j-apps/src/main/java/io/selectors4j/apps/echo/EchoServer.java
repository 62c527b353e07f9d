package io.selectors4j.apps.echo;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.apps.common.AcceptLimit;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The classic echo server on a {@link Selector}: the listener registered for READ, each connection
 * with its own output queue, WRITE interest only while that queue holds data. At the connection limit
 * the listener leaves the selector until a connection closes.
 */
final class EchoServer {
    private static final int ACCEPTS_PER_WAKEUP = 64;

    private final Selector selector;
    private final Socket listener;
    private final Acceptor acceptor;
    private final AcceptLimit limit;
    private final int queueBytes;
    private final EventLog log;
    private final Duration timeout;
    private final StopSignal stop;
    private final ReadyKeyConsumer dispatch = this::handle;

    EchoServer(Selector selector, Socket listener, EchoLimits limits, EventLog log, Duration timeout, StopSignal stop)
            throws IOException {
        this.selector = selector;
        this.listener = listener;
        this.acceptor = new Acceptor(listener, log, "  ");
        this.limit = new AcceptLimit(selector, listener, limits.maxConnections());
        this.queueBytes = limits.queueBytes();
        this.log = log;
        this.timeout = timeout;
        this.stop = stop;
    }

    /** Serves until a stop is asked for, then closes every connection after a last try to flush it. */
    void run() throws IOException {
        try (acceptor) {
            limit.start();
            while (!stop.requested()) {
                log.event("waiting for the next event");
                int ready = selector.select(timeout, dispatch);
                if (ready == 0 && timeout != null && !stop.requested()) {
                    log.event("  timed out, do some other work here");
                }
            }
            log.line("stopping");
        } finally {
            closeAll();
        }
    }

    private void handle(SelectorKey key, int events) throws IOException {
        if (key.fileobj() == listener) {
            acceptPending();
        } else {
            serve((EchoConnection) key.data(), events);
        }
    }

    private void acceptPending() throws IOException {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP && !limit.full(); i++) {
            Socket.Accepted accepted = acceptor.accept();
            if (accepted == null) {
                return;
            }
            EchoConnection connection = new EchoConnection(accepted.socket(), PythonText.address(accepted.peer()),
                    queueBytes);
            limit.opened();
            log.event("  connection from " + connection.peer());
            try {
                selector.register(connection.socket(), Events.READ, connection);
            } catch (IOException | IllegalArgumentException e) {
                log.event("  cannot serve " + connection.peer() + ": " + e.getMessage());
                close(connection);
            }
        }
    }

    private void serve(EchoConnection connection, int events) throws IOException {
        int before = connection.interest();
        try {
            if ((events & Events.READ) != 0) {
                connection.receive(log);
            }
            if ((events & Events.WRITE) != 0 && connection.hasQueued()) {
                connection.send(log);
            }
        } catch (NativeIOException e) {
            if (e.errno() != Errno.ECONNRESET && e.errno() != Errno.EPIPE) {
                log.event("  error on " + connection.peer() + ": " + e.getMessage());
            }
            close(connection);
            return;
        }
        if (connection.finished()) {
            close(connection);
        } else if (connection.interest() != before) {
            selector.modify(connection.socket(), connection.interest(), connection);
        }
    }

    private void close(EchoConnection connection) throws IOException {
        log.event("  closing " + connection.peer());
        connection.socket().close();
        limit.closed();
    }

    private void closeAll() throws IOException {
        List<SelectorKey> keys = new ArrayList<>(selector.getMap().values());
        for (SelectorKey key : keys) {
            if (key.data() instanceof EchoConnection connection) {
                try {
                    if (connection.hasQueued()) {
                        connection.send(log);
                    }
                } catch (IOException e) {
                    // The client is gone; closing is all that is left to do.
                }
                close(connection);
            }
        }
    }
}
