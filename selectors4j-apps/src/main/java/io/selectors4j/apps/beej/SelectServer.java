package io.selectors4j.apps.beej;

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
import java.util.ArrayList;
import java.util.List;

/**
 * The select server: one selector waits for new connections and for data on all of them, and every
 * connection, every read and every disconnection is logged. A reset connection counts as disconnected.
 * At the connection limit the listener leaves the selector until a connection closes.
 */
final class SelectServer {
    private static final int ACCEPTS_PER_WAKEUP = 64;

    private final Selector selector;
    private final Socket listener;
    private final Acceptor acceptor;
    private final AcceptLimit limit;
    private final EventLog log;
    private final StopSignal stop;
    private final ReadyKeyConsumer dispatch = this::handle;
    private final byte[] buffer = new byte[4096];

    SelectServer(Selector selector, Socket listener, int maxConnections, EventLog log, StopSignal stop)
            throws IOException {
        this.selector = selector;
        this.listener = listener;
        this.acceptor = new Acceptor(listener, log, "");
        this.limit = new AcceptLimit(selector, listener, maxConnections);
        this.log = log;
        this.stop = stop;
    }

    /** Logs until a stop is asked for, then closes every connection. */
    void run() throws IOException {
        try (acceptor) {
            limit.start();
            log.line("waiting for connections");
            while (!stop.requested()) {
                selector.select(null, dispatch);
            }
            log.line("stopping");
        } finally {
            List<SelectorKey> keys = new ArrayList<>(selector.getMap().values());
            for (SelectorKey key : keys) {
                if (key.data() instanceof String peer) {
                    disconnect((Socket) key.fileobj(), peer);
                }
            }
        }
    }

    private void handle(SelectorKey key, int events) throws IOException {
        if (key.fileobj() == listener) {
            acceptPending();
        } else {
            read((Socket) key.fileobj(), (String) key.data());
        }
    }

    private void acceptPending() throws IOException {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP && !limit.full(); i++) {
            Socket.Accepted accepted = acceptor.accept();
            if (accepted == null) {
                return;
            }
            String peer = PythonText.address(accepted.peer());
            limit.opened();
            log.event(peer + ": connected");
            try {
                selector.register(accepted.socket(), Events.READ, peer);
            } catch (IOException | IllegalArgumentException e) {
                log.event(peer + ": cannot watch: " + e.getMessage());
                disconnect(accepted.socket(), peer);
            }
        }
    }

    private void read(Socket socket, String peer) throws IOException {
        int n;
        try {
            n = socket.recv(buffer);
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
            disconnect(socket, peer);
            return;
        }
        if (log.eventsShown()) {
            log.event(peer + " " + n + " bytes: " + PythonText.bytes(buffer, 0, n));
        }
    }

    private void disconnect(Socket socket, String peer) throws IOException {
        log.event(peer + ": disconnected");
        socket.close();
        limit.closed();
    }
}
