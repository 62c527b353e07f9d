package io.selectors4j.apps.bench;

import io.selectors4j.loop.EventLoop;
import io.selectors4j.loop.Protocol;
import io.selectors4j.loop.TlsTransport;
import io.selectors4j.loop.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One load thread that drives its connections with an {@link EventLoop} of its own, run on the
 * thread itself: for TLS (the loop's TLS client) and for {@code --reconnect}, where each request is a
 * new connection (TCP connect, the full TLS handshake, one echo, an orderly close) and its latency
 * runs from the connect to the echo's last byte. Every echoed byte is checked as {@link Worker}
 * checks it; nothing is allocated per message on kept connections (a new connection allocates its
 * transport, and a TLS one its engine). Closed loop only.
 */
final class LoopWorker extends LoadWorker {
    private final Slot[] slots;
    /** Sends are copied from, and receipts checked in, this one array; each use ends before the next. */
    private final byte[] io = new byte[Payload.CHUNK];
    private volatile EventLoop loop;
    private boolean measuring;
    private boolean windowOpen;
    private long measureStart;
    private long completions;
    private int connected;
    private int open;

    LoopWorker(LoadPlan plan, Payload payload, int index, Start start) {
        super(plan, payload, index, start);
        this.slots = new Slot[plan.connectionsOf(index)];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(i, Payload.phaseOf(connectionNumber(i)));
        }
    }

    @Override
    void open() throws IOException {
        loop = EventLoop.open(plan.backend());
    }

    @Override
    void close() {
        loop.close();
    }

    @Override
    void wakeUp() {
        EventLoop current = loop;
        if (current != null) {
            current.stop();
        }
    }

    /**
     * Opens every connection (and completes its handshake) before the run starts; with
     * {@code --reconnect}, none: each request makes its own.
     */
    @Override
    void connectAll() throws IOException {
        if (plan.reconnect()) {
            return;
        }
        for (Slot slot : slots) {
            slot.connect();
        }
        if (!stopped) {
            loop.run(); // until the last connection is made or one fails (connectionMade and problem stop it)
        }
        if (tally.failure instanceof IOException failure) {
            throw failure;
        }
        open = slots.length;
    }

    @Override
    void drive(long startAt) {
        measureStart = startAt + plan.warmupNanos();
        long end = measureStart + plan.durationNanos();
        loop.callAt(measureStart, () -> {
            measuring = true;
            tally.startCounters();
        });
        loop.callAt(end, () -> {
            tally.stopCounters();
            measuring = false;
            windowOpen = false;
            progress.lazySet(completions);
            loop.stop();
        });
        windowOpen = true;
        loop.callSoon(() -> {
            for (Slot slot : slots) {
                if (plan.reconnect()) {
                    slot.connect();
                } else {
                    slot.fill();
                }
            }
        });
        if (!stopped) {
            loop.run();
        }
        progress.lazySet(completions);
    }

    @Override
    void letGo() {
        for (Slot slot : slots) {
            slot.abandon();
        }
    }

    /** Loop thread: one message echoed in full. */
    private void completed(long startedAt) {
        completions++;
        if ((completions & 63) == 0) {
            progress.lazySet(completions);
        }
        if (measuring) {
            latencies.recordValue(Math.max(0, loop.time() - startedAt));
            tally.requests++;
        }
    }

    private void problem(Slot slot, String detail, boolean mismatch) {
        if (!windowOpen && !plan.reconnect() && connected < slots.length) {
            tally.failure = new IOException("cannot connect to " + Targets.text(plan.target()) + ": " + detail);
            loop.stop();
            return;
        }
        if (mismatch) {
            tally.mismatches++;
        } else {
            tally.connectionErrors++;
        }
        tally.firstProblem("connection " + connectionNumber(slot.index) + ": " + detail);
    }

    /** One connection's place in its stream, and its protocol on the loop. */
    private final class Slot implements Protocol {
        final int index;
        final int phase;
        final long[] startNanos;
        Transport transport;
        CompletableFuture<? extends Transport> connecting;
        long sentBytes;
        long receivedBytes;
        long started;
        long completed;
        long connectStart;
        boolean closing;
        boolean failed;

        Slot(int index, int phase) {
            this.index = index;
            this.phase = phase;
            this.startNanos = new long[plan.pipeline()];
        }

        void connect() {
            connectStart = loop.time();
            sentBytes = 0;
            receivedBytes = 0;
            started = 0;
            completed = 0;
            closing = false;
            connecting = plan.tls() == null ? loop.connect(plan.target(), () -> this, CONNECT_TIMEOUT)
                    : loop.connect(plan.target(), () -> this, CONNECT_TIMEOUT, plan.tls());
            connecting.whenComplete((made, error) -> {
                if (error != null) {
                    loop.callSoon(() -> connectFailed(error));
                }
            });
        }

        private void connectFailed(Throwable error) {
            if (error instanceof java.util.concurrent.CancellationException) {
                return; // abandoned as the run ended
            }
            problem(this, error.getMessage() != null ? error.getMessage() : error.toString(), false);
            if (plan.reconnect() && windowOpen && !stopped) {
                connect(); // each failed attempt is counted; the slot keeps trying
            }
        }

        /** A kept connection: starts its pipeline of messages. */
        void fill() {
            while (started - completed < plan.pipeline()) {
                startMessage();
            }
            send();
        }

        private void startMessage() {
            startNanos[(int) (started % plan.pipeline())] = loop.time();
            started++;
        }

        private void send() {
            long limit = started * plan.size();
            while (sentBytes < limit && !closing) {
                int length = (int) Math.min(limit - sentBytes, Payload.CHUNK);
                payload.copy(phase, sentBytes, io, length);
                transport.write(io, 0, length);
                sentBytes += length;
            }
        }

        @Override
        public void connectionMade(Transport made) {
            transport = made;
            if (plan.reconnect()) {
                startMessage();
                startNanos[0] = connectStart; // a request's latency starts with its connect
                send();
            } else if (++connected == slots.length && !windowOpen) {
                loop.stop(); // every connection is up: the run may start
            }
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            while (data.hasRemaining() && !closing) {
                int n = Math.min(data.remaining(), io.length);
                data.get(io, 0, n);
                String wrong = payload.wrongEcho(io, n, phase, receivedBytes, sentBytes);
                if (wrong != null) {
                    fail(wrong, true);
                    return;
                }
                receivedBytes += n;
            }
            long size = plan.size();
            while (receivedBytes >= (completed + 1) * size && !closing) {
                completed(startNanos[(int) (completed % plan.pipeline())]);
                completed++;
                if (plan.reconnect()) {
                    finishCycle();
                    return;
                }
                startMessage();
            }
            send();
        }

        /** The request of a new connection is done: no resumption of its session, an orderly close. */
        private void finishCycle() {
            closing = true;
            forgetSession();
            transport.close();
        }

        /**
         * Invalidates the connection's session and the resumable copies the server's session tickets
         * made of it, so that the next handshake is a full one; called again once the connection is
         * lost, for a ticket read after the echo, during the close.
         */
        private void forgetSession() {
            if (transport instanceof TlsTransport tls) {
                tls.tlsSession().sslSession().invalidate();
            }
        }

        @Override
        public boolean eofReceived() {
            if (!closing) {
                fail("the server closed the connection", false);
            }
            return false;
        }

        @Override
        public void connectionLost(Throwable cause) {
            if (plan.reconnect()) {
                forgetSession();
            }
            if (!closing && !failed) {
                fail(cause == null ? "the server closed the connection"
                        : cause.getMessage() != null ? cause.getMessage() : cause.toString(), false);
            }
            transport = null;
            if (plan.reconnect() && windowOpen && !stopped) {
                connect();
            } else if (!plan.reconnect() && windowOpen && --open == 0) {
                loop.stop();
            }
        }

        private void fail(String detail, boolean mismatch) {
            if (failed) {
                return;
            }
            failed = !plan.reconnect();
            problem(this, detail, mismatch);
            closing = true;
            if (transport != null) {
                transport.abort();
            }
        }

        /** The run is over: drops the connection without counting it. */
        void abandon() {
            closing = true;
            if (connecting != null) {
                connecting.cancel(false);
            }
        }
    }
}
