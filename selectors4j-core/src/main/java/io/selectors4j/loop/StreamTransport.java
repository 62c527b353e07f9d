package io.selectors4j.loop;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.loop.tls.ClosingLayer;
import io.selectors4j.net.PythonText;
import io.selectors4j.net.Socket;
import io.selectors4j.selectors.Events;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A connected stream socket driven by its loop: the {@link Transport} its {@link Protocol} writes to,
 * and the selector key's handler that reads and flushes when the socket is ready.
 *
 * <p>Reads go into the loop's shared read buffer, one {@code recv} per readable event, and reach the
 * protocol as a read-only view. A write first tries the socket; what is left is copied into the
 * {@link WriteQueue} and WRITE interest is set until it drains. Every state change happens on the loop
 * thread; the public methods called elsewhere hand themselves to the loop (see {@link Transport}).
 *
 * <p>A connection of a server with an {@link ServerOptions#idleTimeout()} notes the time of its last
 * progress (a read that returned data, a send that moved bytes) from the loop's once-per-iteration
 * clock, and keeps one timer: when it fires it compares that note with the clock and either aborts
 * the connection or re-arms itself for the rest of the timeout. Nothing is allocated per message.
 */
final class StreamTransport implements StreamConnection, Handler {
    static final int DEFAULT_HIGH_WATER = 64 * 1024;
    static final int DEFAULT_LOW_WATER = 16 * 1024;
    private static final VarHandle HANDED_OVER;

    static {
        try {
            HANDED_OVER = MethodHandles.lookup().findVarHandle(StreamTransport.class, "handedOverBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoop loop;
    private final Socket socket;
    private final Protocol protocol;
    private final StreamServer server;
    private final WriteQueue queue;
    /** The peer packed ({@link PackedAddress}) when it is IPv4; otherwise {@link #unpackedPeer} holds it. */
    private final long packedPeer;
    private final SocketAddress unpackedPeer;
    /** Asked for lazily, so an idle connection holds no second address. */
    private volatile SocketAddress local;
    /** Made once: pausing and resuming reading is frequent under back-pressure and allocates nothing. */
    private int interest;
    private int highWater = DEFAULT_HIGH_WATER;
    private int lowWater = DEFAULT_LOW_WATER;
    private boolean writingPaused;
    /** The last read or flush moved a whole buffer: the next one waits for its turn ({@link BulkTurns}). */
    private boolean bulk;
    /** The events reported while this bulk connection waits for its turn. */
    private int turnEvents;
    private boolean eofReceived;
    /** Set by writeEof() at once on any thread: later writes are refused on their caller's thread. */
    private volatile boolean eofRequested;
    /** Loop thread: writeEof has run here; the shutdown waits for the queue and the handed-over writes. */
    private boolean eofPending;
    private boolean eofSent;
    /** Loop thread: close or abort has run here, so later writes are dropped (writes made before it are not). */
    private boolean closeStarted;
    private boolean closed;
    private volatile boolean readingPaused;
    /** Set at once by close() on any thread, for {@link #isClosing()} only. */
    private volatile boolean closing;
    private volatile long queuedBytes;
    /** Bytes written from other threads and not yet taken by the loop: part of the write buffer too. */
    private volatile long handedOverBytes;
    /** The server's idle timeout in nanoseconds, 0 for none. */
    private final long idleTimeoutNanos;
    /** When bytes last moved, on the loop's cached clock (only with an idle timeout). */
    private long lastProgress;
    private ScheduledTask idleTimer;

    private StreamTransport(EventLoop loop, Socket socket, Protocol protocol, StreamServer server,
            SocketAddress peer) {
        this.loop = loop;
        this.socket = socket;
        this.protocol = protocol;
        this.server = server;
        this.queue = new WriteQueue(loop.buffers());
        this.packedPeer = PackedAddress.pack(peer);
        this.unpackedPeer = packedPeer == PackedAddress.NOT_PACKED ? peer : null;
        this.idleTimeoutNanos = server == null ? 0 : server.idleTimeoutNanos();
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
        if (transport.idleTimeoutNanos > 0) {
            transport.lastProgress = loop.time();
            transport.armIdleTimer();
        }
        if (server != null) {
            server.connectionStarted(transport);
        }
        try {
            protocol.connectionMade(transport);
        } catch (RuntimeException | Error e) {
            loop.callbackFailed("connectionMade of " + transport, e);
        }
        return transport;
    }

    // ---- Transport ----

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void write(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        if (eofRequested) {
            throw writeAfterEof();
        }
        if (loop.inLoop()) {
            writeOnLoop(data, off, len);
        } else if (!closing) {
            handOverWrite(Arrays.copyOfRange(data, off, off + len));
        }
    }

    @Override
    public void write(ByteBuffer data) {
        if (eofRequested) {
            throw writeAfterEof();
        }
        if (loop.inLoop()) {
            writeOnLoop(data);
        } else if (closing) {
            data.position(data.limit()); // consumed, as the contract says, though dropped
        } else {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            handOverWrite(copy);
        }
    }

    /**
     * Another thread's write: counted in the write buffer until the loop takes it, in call order. The
     * count goes up before the end-of-stream flag is read, and writeEof sets the flag before the loop
     * reads the count: so either this write is refused here, or the loop's shutdown waits for it.
     */
    private void handOverWrite(byte[] copy) {
        long length = copy.length;
        HANDED_OVER.getAndAdd(this, length);
        if (eofRequested) {
            HANDED_OVER.getAndAdd(this, -length);
            loop.execute(this::shutdownIfDrained); // the loop may be waiting for this write's count
            throw writeAfterEof();
        }
        if (!loop.execute(() -> {
            HANDED_OVER.getAndAdd(this, -length);
            writeOnLoop(copy, 0, copy.length);
            shutdownIfDrained();
        })) {
            HANDED_OVER.getAndAdd(this, -length); // the loop is closed, and so is the connection
        }
    }

    private IllegalStateException writeAfterEof() {
        return new IllegalStateException("write after writeEof on " + this);
    }

    @Override
    public void writeEof() {
        eofRequested = true;
        loop.execute(this::writeEofOnLoop);
    }

    @Override
    public void close() {
        closing = true;
        loop.execute(this::closeOnLoop);
    }

    @Override
    public void abort() {
        closing = true;
        loop.execute(this::abortOnLoop);
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void pauseReading() {
        readingPaused = true;
        updateInterestFromAnyThread();
    }

    @Override
    public void resumeReading() {
        readingPaused = false;
        updateInterestFromAnyThread();
    }

    @Override
    public boolean isReading() {
        return !readingPaused && !closing && !eofReceived;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        if (low < 0 || high < 0 || low > high) {
            throw new IllegalArgumentException("write buffer limits need 0 <= low <= high, not high " + high
                    + ", low " + low);
        }
        loop.execute(() -> {
            highWater = high;
            lowWater = low;
            checkHighWater();
            checkLowWater();
        });
    }

    @Override
    public long writeBufferSize() {
        return queuedBytes + handedOverBytes;
    }

    @Override
    public SocketAddress localAddress() {
        SocketAddress known = local;
        if (known == null) {
            try {
                known = socket.localAddress();
                local = known;
            } catch (IOException e) {
                return null; // asked for the first time after the socket closed
            }
        }
        return known;
    }

    @Override
    public SocketAddress peerAddress() {
        return unpackedPeer != null ? unpackedPeer : PackedAddress.unpack(packedPeer);
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

    @Override
    public void closeNow() {
        abortOnLoop();
    }

    // ---- for the server, any thread ----

    /**
     * The server is shutting down: flush and close (through the layer above when there is one: TLS
     * sends its close_notify first), and abort at {@code deadlineNanos} if that has not finished by then.
     * A connection whose loop is closed has been aborted already.
     */
    @Override
    public void closeBy(long deadlineNanos) {
        closing = true;
        loop.execute(() -> {
            if (protocol instanceof ClosingLayer layer) {
                layer.closeThroughLayer(); // TLS: close_notify after what is queued
            } else {
                closeOnLoop();
            }
            if (!closed) {
                loop.schedule(deadlineNanos, this::abortOnLoop);
            }
        });
    }

    @Override
    public String toString() {
        return "connection " + PythonText.address(peerAddress());
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
            progressed();
            try {
                protocol.dataReceived(loop.buffers().readView(n));
            } catch (RuntimeException | Error e) {
                loop.callbackFailed("dataReceived of " + this, e);
            }
        } else if (n == 0) {
            endOfStream();
        }
        return Math.max(n, 0);
    }

    private void endOfStream() {
        eofReceived = true;
        updateInterest();
        boolean keepOpen;
        try {
            keepOpen = protocol.eofReceived();
        } catch (RuntimeException | Error e) {
            loop.callbackFailed("eofReceived of " + this, e);
            keepOpen = false;
        }
        if (!keepOpen) {
            closeOnLoop();
        }
    }

    private void writeOnLoop(byte[] data, int off, int len) {
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

    private void writeOnLoop(ByteBuffer data) {
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

    /**
     * Whether a write of {@code len} bytes goes ahead; writes after close are dropped, as asyncio's.
     * (Writes after writeEof were refused on their caller's thread.)
     */
    private boolean writable(int len) {
        return len > 0 && !closeStarted && !closed;
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

    private void writeEofOnLoop() {
        if (eofPending || closeStarted || closed) {
            return;
        }
        eofPending = true;
        shutdownIfDrained();
    }

    /** Shuts down the sending side once writeEof ran and every write made before it has been sent. */
    private void shutdownIfDrained() {
        if (eofPending && !eofSent && !closed && queue.isEmpty() && handedOverBytes == 0) {
            eofSent = true;
            shutdownOutput();
        }
    }

    private void shutdownOutput() {
        try {
            socket.shutdown(Socket.SHUT_WR);
        } catch (IOException e) {
            lose(e);
        }
    }

    private void closeOnLoop() {
        closing = true;
        closeStarted = true;
        if (closed) {
            return;
        }
        if (queue.isEmpty()) {
            finishClose(null);
        } else {
            updateInterest();
        }
    }

    private void abortOnLoop() {
        closing = true;
        closeStarted = true;
        if (closed) {
            return;
        }
        try {
            socket.setLinger(0);
        } catch (IOException e) {
            // the reset is best effort: the socket is closed below either way
        }
        finishClose(null);
    }

    /** An I/O error (ECONNRESET, EPIPE...) ends the connection: the protocol hears of it. */
    private void lose(IOException cause) {
        closing = true;
        closeStarted = true;
        if (!closed) {
            finishClose(cause);
        }
    }

    private void finishClose(Throwable cause) {
        closed = true;
        closing = true;
        closeStarted = true;
        interest = 0;
        queue.clear();
        queuedBytes = 0;
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
        closeQuietly(socket); // its close listener drops the selector key
        loop.untrack(this);
        if (server != null) {
            server.connectionClosed(this);
        }
        loop.soon(() -> connectionLost(cause));
    }

    private void connectionLost(Throwable cause) {
        try {
            protocol.connectionLost(cause);
        } catch (RuntimeException | Error e) {
            loop.callbackFailed("connectionLost of " + this, e);
        }
    }

    // ---- the idle timeout ----

    /** Bytes moved: notes the time for the idle timeout (a field write; the clock is read once per iteration). */
    private void progressed() {
        if (idleTimeoutNanos != 0) {
            lastProgress = loop.cachedTime();
        }
    }

    private void armIdleTimer() {
        idleTimer = loop.schedule(TimerQueue.deadlineAfter(lastProgress, idleTimeoutNanos), this::idleCheck);
    }

    /** The idle timer fired: abort if nothing moved for the whole timeout, else wait for the rest of it. */
    private void idleCheck() {
        idleTimer = null;
        if (closed) {
            return;
        }
        if (loop.time() - lastProgress < idleTimeoutNanos) {
            armIdleTimer();
            return;
        }
        try {
            socket.setLinger(0);
        } catch (IOException e) {
            // the reset is best effort: the socket is closed below either way
        }
        finishClose(new NativeIOException("idle", Errno.ETIMEDOUT,
                "no bytes moved in either direction for " + Duration.ofNanos(idleTimeoutNanos)));
    }

    /**
     * {@link #updateInterest} at once on the loop thread, with no object made (a protocol pauses and
     * resumes reading at every watermark crossing); handed over to the loop from other threads.
     */
    private void updateInterestFromAnyThread() {
        if (loop.inLoop()) {
            updateInterest();
        } else {
            loop.execute(this::updateInterest);
        }
    }

    /** Sets the selector interest to what the state asks for: READ while reading, WRITE while queued. */
    private void updateInterest() {
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

    private void checkHighWater() {
        if (!writingPaused && !closed && queue.size() + handedOverBytes > highWater) {
            writingPaused = true;
            try {
                protocol.pauseWriting();
            } catch (RuntimeException | Error e) {
                loop.callbackFailed("pauseWriting of " + this, e);
            }
        }
    }

    private void checkLowWater() {
        if (writingPaused && !closed && queue.size() <= lowWater) {
            writingPaused = false;
            try {
                protocol.resumeWriting();
            } catch (RuntimeException | Error e) {
                loop.callbackFailed("resumeWriting of " + this, e);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do: the descriptor is released either way
        }
    }
}
