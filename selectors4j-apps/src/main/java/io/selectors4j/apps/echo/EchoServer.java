package io.selectors4j.apps.echo;

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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The classic echo server on a {@link Selector}: the listener registered for READ, each connection
 * with its own output queue, WRITE interest only while that queue holds data. At the connection limit
 * the listener leaves the selector until a connection closes. A connection with no event (nothing
 * received, nothing sent) for the idle limit is closed; the selector's wait ends at the next such
 * expiry, so no thread and no timer per message is needed.
 *
 * <p>Beyond the classic: fairness under a flood. A client whose last read filled its queue's room is a
 * bulk sender; when it is ready it waits for its turn, and each pass of the loop serves turns for at
 * most {@link #TURN_BUDGET} bytes, oldest first. Every other client is served as soon as it is ready,
 * so an interactive client never waits behind all the bulk senders at once.
 */
final class EchoServer {
    private static final int ACCEPTS_PER_WAKEUP = 64;
    /** Bytes moved for bulk senders per pass of the loop: about a millisecond of echo work. */
    static final int TURN_BUDGET = 1024 * 1024;

    private final Selector selector;
    private final Socket listener;
    private final Acceptor acceptor;
    private final AcceptLimit limit;
    private final int queueBytes;
    private final EventLog log;
    private final Duration timeout;
    private final StopSignal stop;
    private final IdleList<EchoConnection> idle;
    private final ArrayDeque<EchoConnection> turns = new ArrayDeque<>();
    private final String idleReason;
    private final ReadyKeyConsumer dispatch = this::handle;
    private final Consumer<EchoConnection> closeIdle = this::closeIdle;
    /** When the last event happened or the last timeout was told, for {@code --timeout}. */
    private long quietSince;

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
        this.idle = new IdleList<>(limits.idleTimeout());
        this.idleReason = ": idle for " + TimeoutConverter.seconds(limits.idleTimeout());
    }

    /** Serves until a stop is asked for, then closes every connection after a last try to flush it. */
    void run() throws IOException {
        try (acceptor) {
            limit.start();
            quietSince = System.nanoTime();
            while (!stop.requested()) {
                log.event("waiting for the next event");
                int ready = selector.select(turns.isEmpty() ? waitNanos(System.nanoTime()) : 0, dispatch);
                ready += runTurns();
                long now = System.nanoTime();
                if (ready > 0) {
                    quietSince = now;
                } else if (timeout != null && now - quietSince >= timeout.toNanos() && !stop.requested()) {
                    log.event("  timed out, do some other work here");
                    quietSince = now;
                }
                idle.expire(now, closeIdle);
            }
            log.line("stopping");
        } finally {
            closeAll();
        }
    }

    /** The wait until {@code --timeout} is due or a connection expires, whichever is first; -1 for none. */
    private long waitNanos(long now) {
        long untilExpiry = idle.nanosToNextExpiry(now);
        if (timeout == null) {
            return untilExpiry;
        }
        long untilTimeout = Math.max(0, quietSince + timeout.toNanos() - now);
        return untilExpiry < 0 ? untilTimeout : Math.min(untilExpiry, untilTimeout);
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
            idle.progress(connection, System.nanoTime());
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
        idle.progress(connection, System.nanoTime());
        if (!connection.isBulk()) {
            act(connection, events);
        } else if (connection.awaitTurn(events)) {
            turns.add(connection);
        }
    }

    /** Serves turns, oldest first, for at most the budget; returns how many were served. */
    private int runTurns() throws IOException {
        int served = 0;
        long moved = 0;
        EchoConnection next;
        while (moved < TURN_BUDGET && (next = turns.poll()) != null) {
            int events = next.takeTurnEvents();
            if (!next.socket().isClosed()) { // closed while it waited
                moved += act(next, events);
                served++;
            }
        }
        return served;
    }

    /** Receives and sends as {@code events} allow; returns the bytes moved. */
    private long act(EchoConnection connection, int events) throws IOException {
        int before = connection.interest();
        long moved = 0;
        try {
            if ((events & Events.READ) != 0) {
                moved += connection.receive(log);
            }
            if ((events & Events.WRITE) != 0 && connection.hasQueued()) {
                moved += connection.send(log);
            }
        } catch (NativeIOException e) {
            if (e.errno() != Errno.ECONNRESET && e.errno() != Errno.EPIPE) {
                log.event("  error on " + connection.peer() + ": " + e.getMessage());
            }
            close(connection);
            return moved;
        }
        if (connection.finished()) {
            close(connection);
        } else if (connection.interest() != before) {
            selector.modify(connection.socket(), connection.interest(), connection);
        }
        return moved;
    }

    private void close(EchoConnection connection) throws IOException {
        close(connection, "");
    }

    private void close(EchoConnection connection, String reason) throws IOException {
        log.event("  closing " + connection.peer() + reason);
        idle.remove(connection);
        connection.socket().close();
        limit.closed();
    }

    private void closeIdle(EchoConnection connection) {
        try {
            close(connection, idleReason);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
