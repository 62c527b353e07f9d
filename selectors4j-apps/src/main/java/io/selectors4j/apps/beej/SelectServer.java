package io.selectors4j.apps.beej;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.apps.common.AcceptLimit;
import io.selectors4j.apps.common.Acceptor;
import io.selectors4j.apps.common.EventLog;
import io.selectors4j.apps.common.IdleList;
import io.selectors4j.apps.common.StopSignal;
import io.selectors4j.apps.common.TimeoutConverter;
import io.selectors4j.net.PythonText;
import io.selectors4j.net.Socket;
import io.selectors4j.selectors.Events;
import io.selectors4j.selectors.ReadyKeyConsumer;
import io.selectors4j.selectors.Selector;
import io.selectors4j.selectors.SelectorKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The select server: one selector waits for new connections and for data on all of them, and every
 * connection, every read and every disconnection is logged. A reset connection counts as disconnected.
 * At the connection limit the listener leaves the selector until a connection closes. A connection
 * that sends nothing for the idle limit is closed; the selector's wait ends at the next such expiry.
 */
final class SelectServer {
    private static final int ACCEPTS_PER_WAKEUP = 64;

    private final Selector selector;
    private final Socket listener;
    private final Acceptor acceptor;
    private final AcceptLimit limit;
    private final EventLog log;
    private final StopSignal stop;
    private final IdleList<SelectConnection> idle;
    private final String idleReason;
    private final ReadyKeyConsumer dispatch = this::handle;
    private final Consumer<SelectConnection> closeIdle = this::closeIdle;
    private final byte[] buffer = new byte[4096];

    SelectServer(Selector selector, Socket listener, int maxConnections, Duration idleTimeout, EventLog log,
            StopSignal stop) throws IOException {
        this.selector = selector;
        this.listener = listener;
        this.acceptor = new Acceptor(listener, log, "");
        this.limit = new AcceptLimit(selector, listener, maxConnections);
        this.log = log;
        this.stop = stop;
        this.idle = new IdleList<>(idleTimeout);
        this.idleReason = ": idle for " + TimeoutConverter.seconds(idleTimeout);
    }

    /** Logs until a stop is asked for, then closes every connection. */
    void run() throws IOException {
        try (acceptor) {
            limit.start();
            log.line("waiting for connections");
            while (!stop.requested()) {
                selector.select(idle.nanosToNextExpiry(System.nanoTime()), dispatch);
                idle.expire(System.nanoTime(), closeIdle);
            }
            log.line("stopping");
        } finally {
            List<SelectorKey> keys = new ArrayList<>(selector.getMap().values());
            for (SelectorKey key : keys) {
                if (key.data() instanceof SelectConnection connection) {
                    disconnect(connection, "");
                }
            }
        }
    }

    private void handle(SelectorKey key, int events) throws IOException {
        if (key.fileobj() == listener) {
            acceptPending();
        } else {
            read((SelectConnection) key.data());
        }
    }

    private void acceptPending() throws IOException {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP && !limit.full(); i++) {
            Socket.Accepted accepted = acceptor.accept();
            if (accepted == null) {
                return;
            }
            SelectConnection connection = new SelectConnection(accepted.socket(), PythonText.address(accepted.peer()));
            limit.opened();
            idle.progress(connection, System.nanoTime());
            log.event(connection.peer + ": connected");
            try {
                selector.register(connection.socket, Events.READ, connection);
            } catch (IOException | IllegalArgumentException e) {
                log.event(connection.peer + ": cannot watch: " + e.getMessage());
                disconnect(connection, "");
            }
        }
    }

    private void read(SelectConnection connection) throws IOException {
        String peer = connection.peer;
        int n;
        try {
            n = connection.socket.recv(buffer);
        } catch (NativeIOException e) {
            if (e.errno() != Errno.ECONNRESET && e.errno() != Errno.ETIMEDOUT) {
                log.event(peer + ": " + e.getMessage());
            }
            n = 0;
        }
        if (n == Socket.WOULD_BLOCK) {
            return;
        }
        if (n == 0) {
            disconnect(connection, "");
            return;
        }
        idle.progress(connection, System.nanoTime());
        if (log.eventsShown()) {
            log.event(peer + " " + n + " bytes: " + PythonText.bytes(buffer, 0, n));
        }
    }

    private void disconnect(SelectConnection connection, String reason) throws IOException {
        log.event(connection.peer + ": disconnected" + reason);
        idle.remove(connection);
        connection.socket.close();
        limit.closed();
    }

    private void closeIdle(SelectConnection connection) {
        try {
            disconnect(connection, idleReason);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
