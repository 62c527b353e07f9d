package io.selectors4j.loop;

import io.selectors4j.NativeIOException;
import io.selectors4j.net.Socket;
import io.selectors4j.selectors.Events;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A connected stream socket on a readiness loop: the selector key's handler that reads and flushes
 * when the socket is ready. The {@link Transport} rules it keeps are {@link AbstractStreamTransport}'s.
 *
 * <p>Reads go into the loop's shared read buffer, one {@code recv} per readable event, and reach the
 * protocol as a read-only view. A write first tries the socket; what is left is copied into the
 * {@link WriteQueue} and WRITE interest is set until it drains.
 */
final class StreamTransport extends AbstractStreamTransport implements Handler {
    /** Made once: pausing and resuming reading is frequent under back-pressure and allocates nothing. */
    private int interest;
    /** The last read or flush moved a whole buffer: the next one waits for its turn ({@link BulkTurns}). */
    private boolean bulk;
    /** The events reported while this bulk connection waits for its turn. */
    private int turnEvents;

    private StreamTransport(EventLoop loop, Socket socket, Protocol protocol, StreamServer server,
            SocketAddress peer) {
        super(loop, socket, protocol, server, peer);
    }

    /**
     * Loop thread: wraps a connected non-blocking socket to {@code peer} (as accept or connect gave
     * it: asking the kernel again would fail with ENOTCONN for a peer that has reset meanwhile, whose
     * protocol must still hear of it), registers it for reading and calls {@code connectionMade}. If the
     * socket cannot be set up it is closed and the error thrown: a
     * {@link java.util.concurrent.RejectedExecutionException} when the loop is closing.
     */
    static StreamTransport start(EventLoop loop, Socket socket, SocketAddress peer, Protocol protocol,
            StreamServer server) throws IOException {
        StreamTransport transport = null;
        try {
            Objects.requireNonNull(protocol, "the protocol factory returned null");
            transport = new StreamTransport(loop, socket, protocol, server, peer);
            loop.track(transport);
            loop.selector().register(socket, Events.READ, transport);
        } catch (IOException | RuntimeException e) {
            if (transport != null) {
                loop.untrack(transport);
            }
            closeQuietly(socket);
            throw e;
        }
        transport.interest = Events.READ;
        transport.started();
        return transport;
    }

    // ---- Handler ----

    @Override
    public void ready(int events) {
        if (!bulk) {
            act(events);
        } else {
            if (turnEvents == 0) {
                loop.bulkTurns().add(this);
            }
            turnEvents |= events;
        }
    }

    @Override
    public long takeTurn() {
        int events = turnEvents;
        turnEvents = 0;
        return act(events);
    }

    /** Flushes and reads as {@code events} allow; returns the bytes moved. */
    private long act(int events) {
        long moved = 0;
        if ((events & Events.WRITE) != 0 && !closed) {
            moved = flush();
        }
        if ((events & Events.READ) != 0 && !closed && (interest & Events.READ) != 0) {
            int read = read();
            bulk = BulkTurns.isBulk(read, LoopBuffers.READ_SIZE);
            moved += read;
        } else if ((events & Events.WRITE) != 0) {
            bulk = BulkTurns.isBulk(moved, LoopBuffers.READ_SIZE);
        }
        return moved;
    }

    @Override
    public void descriptorLost(int errno) {
        lose(new NativeIOException("socket", errno, "the connection's socket was closed behind the loop"));
    }

    // ---- on the loop ----

    /** One read; returns the bytes read. */
    private int read() {
        ByteBuffer buffer = loop.buffers().readBuffer();
        int n;
        try {
            n = socket.recv(buffer);
        } catch (IOException e) {
            lose(e);
            return 0;
        }
        if (n > 0) {
            deliverData(loop.buffers().readView(n));
        } else if (n == 0) {
            endOfStream();
        }
        return Math.max(n, 0);
    }

    @Override
    void writeOnLoop(byte[] data, int off, int len) {
        if (!writable(len)) {
            return;
        }
        if (queue.isEmpty()) {
            try {
                int n = socket.send(data, off, len);
                if (n > 0) {
                    progressed();
                    off += n;
                    len -= n;
                }
            } catch (IOException e) {
                lose(e);
                return;
            }
        }
        if (len > 0) {
            queue.append(data, off, len);
            queued();
        }
    }

    @Override
    void writeOnLoop(ByteBuffer data) {
        if (!writable(data.remaining())) {
            data.position(data.limit()); // consumed, as the contract says, though dropped
            return;
        }
        if (queue.isEmpty()) {
            try {
                if (socket.send(data) > 0) {
                    progressed();
                }
            } catch (IOException e) {
                lose(e);
                return;
            }
        }
        if (data.hasRemaining()) {
            queue.append(data);
            queued();
        }
    }

    private void queued() {
        queuedBytes = queue.size();
        updateInterest();
        checkHighWater();
    }

    /** Sends what the socket takes from the queue; returns the bytes sent. */
    private long flush() {
        long sent;
        try {
            sent = queue.sendTo(socket);
        } catch (IOException e) {
            lose(e);
            return 0;
        }
        if (sent > 0) {
            progressed();
        }
        queuedBytes = queue.size();
        checkLowWater();
        if (closed || !queue.isEmpty()) {
            return sent; // closed by the protocol's resumeWriting, or still waiting for room
        }
        shutdownIfDrained();
        if (closed) {
            return sent; // the shutdown failed and ended the connection
        }
        if (closeStarted) {
            finishClose(null);
        } else {
            updateInterest();
        }
        return sent;
    }

    @Override
    void startSending() {
        // nothing to start: WRITE interest is set while anything is queued, and flush() sends it
    }

    @Override
    boolean drained() {
        return queue.isEmpty();
    }

    @Override
    void ended(Throwable cause) {
        interest = 0;
        queue.clear();
        queuedBytes = 0;
        closeQuietly(socket); // its close listener drops the selector key
        loop.untrack(this);
        reportClosed(cause);
    }

    /** Sets the selector interest to what the state asks for: READ while reading, WRITE while queued. */
    @Override
    void updateInterest() {
        if (closed) {
            return;
        }
        int wanted = (isReading() ? Events.READ : 0) | (queue.isEmpty() ? 0 : Events.WRITE);
        if (wanted == interest) {
            return;
        }
        try {
            if (interest == 0) {
                loop.selector().register(socket, wanted, this);
            } else if (wanted == 0) {
                loop.selector().unregister(socket);
            } else {
                loop.selector().modify(socket, wanted, this);
            }
            interest = wanted;
        } catch (IOException e) {
            interest = 0;
            lose(e);
        }
    }
}
