package io.selectors4j.apps.bench;

import io.selectors4j.NativeIOException;
import io.selectors4j.apps.common.Addresses;
import io.selectors4j.net.Socket;
import io.selectors4j.selectors.Events;
import io.selectors4j.selectors.ReadyKeyConsumer;
import io.selectors4j.selectors.Selector;
import io.selectors4j.selectors.SelectorKey;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One load thread: its own epoll {@link Selector} and a share of the connections, driven without
 * blocking. Sends copies of the {@link Payload} sequence and receives into one buffer, checks every
 * echoed byte, and records each message's latency in nanoseconds; nothing is allocated per message.
 *
 * <p>Closed loop: each connection keeps {@code pipeline} messages in flight, starting one as soon as
 * one completes, its latency measured from its start. Fixed rate: messages fall due on a fixed
 * schedule, round-robin over the connections; a connection with {@code pipeline} in flight holds the
 * ones that fall due, and latency is measured from the intended send time (no coordinated omission);
 * a send due within a millisecond (the wait's resolution) is waited for by polling the selector.
 */
final class Worker extends LoadWorker {
    /** At a fixed rate, a send due sooner than this is waited for by polling, not sleeping. */
    private static final long SPIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private final Connection[] connections;
    private final double nanosPerRequest;
    /**
     * Every send goes out from, and every receive lands in, the start of this one array: the socket
     * layer keeps its view of the array last used, so the same array at offset 0 on every call costs
     * no allocation, where a second array or a moving offset would. A receive is checked before the
     * next send overwrites it.
     */
    private final byte[] io = new byte[Payload.CHUNK];
    private final ReadyKeyConsumer onReady = this::ready;

    private long scheduleStart;
    private long measureStart;
    private long now;
    private long nextIssue;
    private volatile Selector selector;
    private long completions;
    private int open;

    Worker(LoadPlan plan, Payload payload, int index, Start start) {
        super(plan, payload, index, start);
        this.connections = new Connection[plan.connectionsOf(index)];
        double rate = plan.rateOf(index);
        this.nanosPerRequest = rate > 0 ? 1e9 / rate : 0;
    }

    @Override
    void open() throws IOException {
        selector = Selector.open(plan.backend().selectorBackend().orElseThrow());
    }

    @Override
    void close() {
        selector.close();
    }

    @Override
    void wakeUp() {
        Selector current = selector;
        if (current != null) {
            current.wakeup();
        }
    }

    @Override
    void connectAll() throws IOException {
        InetSocketAddress target = plan.target();
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        for (int i = 0; i < connections.length; i++) {
            Socket socket = target.getAddress() instanceof Inet6Address ? Socket.tcp6() : Socket.tcp4();
            int phase = Payload.phaseOf(connectionNumber(i));
            Connection connection = new Connection(socket, i, phase, plan.pipeline());
            connections[i] = connection;
            socket.setBlocking(false);
            socket.setTcpNoDelay(true);
            if (socket.connect(target)) {
                connection.connected = true;
                selector.register(socket, Events.READ, connection);
            } else {
                selector.register(socket, Events.WRITE, connection);
            }
        }
        int connected = countConnected();
        while (connected < connections.length && !stopped) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("timed out connecting to " + Targets.text(target) + ": "
                        + connected + " of " + connections.length + " connected");
            }
            selector.select(left, this::finishConnect);
            connected = countConnected();
        }
        open = connections.length;
    }

    private void finishConnect(SelectorKey key, int events) throws IOException {
        Connection connection = (Connection) key.data();
        try {
            connection.socket.finishConnect();
        } catch (NativeIOException e) {
            throw Addresses.failure("cannot connect to", plan.target().getAddress().getHostAddress(),
                    plan.target().getPort(), e);
        }
        connection.connected = true;
        selector.modify(connection.socket, Events.READ, connection);
    }

    private int countConnected() {
        int connected = 0;
        for (Connection connection : connections) {
            connected += connection.connected ? 1 : 0;
        }
        return connected;
    }

    @Override
    void drive(long startAt) throws IOException {
        scheduleStart = startAt;
        measureStart = startAt + plan.warmupNanos();
        long end = measureStart + plan.durationNanos();
        boolean measuring = false;
        now = System.nanoTime();
        if (nanosPerRequest == 0) {
            for (Connection connection : connections) {
                while (connection.inFlight() < plan.pipeline()) {
                    startMessage(connection);
                }
                send(connection);
            }
        }
        while (open > 0) {
            now = System.nanoTime();
            if (!measuring && now >= measureStart) {
                measuring = true;
                tally.startCounters();
            }
            if (now >= end) {
                break;
            }
            long timeout = (measuring ? end : measureStart) - now;
            if (nanosPerRequest > 0) {
                long next = issueDue();
                // The wait's unit is a millisecond: closer than that, poll rather than send late.
                timeout = next < SPIN_NANOS ? 0 : Math.min(timeout, next);
            }
            selector.select(timeout, onReady);
            progress.lazySet(completions);
        }
        if (measuring) {
            tally.stopCounters();
        }
        progress.lazySet(completions);
    }

    /** Fixed rate: makes every message whose time has come due; returns the nanoseconds to the next. */
    private long issueDue() {
        while (true) {
            long intended = scheduleStart + (long) (nextIssue * nanosPerRequest);
            if (intended > now) {
                return intended - now;
            }
            Connection connection = connections[(int) (nextIssue % connections.length)];
            nextIssue++;
            if (connection.socket.isClosed()) {
                continue;
            }
            connection.due++;
            if (connection.inFlight() < plan.pipeline()) {
                startMessage(connection);
                send(connection);
            }
        }
    }

    /** Sends what the connection may; a failure loses that connection only. */
    private void send(Connection connection) {
        try {
            trySend(connection);
        } catch (IOException e) {
            fail(connection, "connection " + number(connection) + ": " + e.getMessage());
        }
    }

    private void startMessage(Connection connection) {
        connection.startNanos[(int) (connection.started % plan.pipeline())] = now;
        connection.started++;
    }

    /** When message {@code message} of {@code connection} was meant to start. */
    private long intendedStart(Connection connection, long message) {
        if (nanosPerRequest == 0) {
            return connection.startNanos[(int) (message % plan.pipeline())];
        }
        return scheduleStart + (long) ((message * connections.length + connection.slot) * nanosPerRequest);
    }

    private void ready(SelectorKey key, int events) {
        Connection connection = (Connection) key.data();
        now = System.nanoTime();
        try {
            if ((events & Events.READ) != 0) {
                receive(connection);
            }
            if (!connection.socket.isClosed() && (events & Events.WRITE) != 0) {
                trySend(connection);
            }
        } catch (NativeIOException e) {
            fail(connection, "connection " + number(connection) + ": " + e.getMessage());
        } catch (IOException e) {
            fail(connection, "connection " + number(connection) + ": " + e);
        }
    }

    private void receive(Connection connection) throws IOException {
        int n = connection.socket.recv(io, 0, io.length);
        if (n == Socket.WOULD_BLOCK) {
            return;
        }
        if (n == 0) {
            fail(connection, "the server closed connection " + number(connection));
            return;
        }
        String wrong = payload.wrongEcho(io, n, connection.phase, connection.receivedBytes, connection.sentBytes);
        if (wrong != null) {
            mismatch(connection, wrong);
            return;
        }
        connection.receivedBytes += n;
        long size = plan.size();
        boolean started = false;
        while (connection.receivedBytes >= (connection.completed + 1) * size) {
            complete(connection, connection.completed);
            connection.completed++;
            if (nanosPerRequest == 0 || connection.due > connection.started) {
                startMessage(connection);
                started = true;
            }
        }
        if (started) {
            trySend(connection);
        }
    }

    private void complete(Connection connection, long message) {
        completions++;
        if (now >= measureStart) {
            latencies.recordValue(Math.max(0, now - intendedStart(connection, message)));
            tally.requests++;
        }
    }

    private void trySend(Connection connection) throws IOException {
        long limit = connection.started * plan.size();
        while (connection.sentBytes < limit) {
            int length = (int) Math.min(limit - connection.sentBytes, Payload.CHUNK);
            payload.copy(connection.phase, connection.sentBytes, io, length);
            int n = connection.socket.send(io, 0, length);
            if (n == Socket.WOULD_BLOCK) {
                if (!connection.writing) {
                    connection.writing = true;
                    selector.modify(connection.socket, Events.READ | Events.WRITE, connection);
                }
                return;
            }
            connection.sentBytes += n;
        }
        if (connection.writing) {
            connection.writing = false;
            selector.modify(connection.socket, Events.READ, connection);
        }
    }

    private void mismatch(Connection connection, String detail) {
        tally.mismatches++;
        tally.firstProblem("connection " + number(connection) + ": " + detail);
        close(connection);
    }

    private void fail(Connection connection, String detail) {
        tally.connectionErrors++;
        tally.firstProblem(detail);
        close(connection);
    }

    private void close(Connection connection) {
        if (!connection.socket.isClosed()) {
            open--;
            try {
                connection.socket.close();
            } catch (IOException e) {
                tally.firstProblem("closing connection " + number(connection) + ": " + e.getMessage());
            }
        }
    }

    /** The connection's number in the run, as the messages name it. */
    private int number(Connection connection) {
        return connectionNumber(connection.slot);
    }

    @Override
    void letGo() {
        for (Connection connection : connections) {
            if (connection != null) { // null past a socket that could not be made
                try {
                    connection.socket.close();
                } catch (IOException ignored) {
                    // Ending the run: the descriptor is released either way.
                }
            }
        }
    }
}
