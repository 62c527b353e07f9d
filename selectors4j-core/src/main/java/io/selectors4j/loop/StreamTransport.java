package io.selectors4j.loop;

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
 */
final class StreamTransport implements Transport, Handler, LoopResource {
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
    private boolean eofReceived;
    private boolean eofRequested;
    /** Loop thread: close or abort has run here, so later writes are dropped (writes made before it are not). */
    private boolean closeStarted;
    private boolean closed;
    private volatile boolean readingPaused;
    /** Set at once by close() on any thread, for {@link #isClosing()} only. */
    private volatile boolean closing;
    private volatile long queuedBytes;
    /** Bytes written from other threads and not yet taken by the loop: part of the write buffer too. */
    private volatile long handedOverBytes;

    private StreamTransport(EventLoop loop, Socket socket, Protocol protocol, StreamServer server,
            SocketAddress peer) {
        this.loop = loop;
        this.socket = socket;
        this.protocol = protocol;
        this.server = server;
        this.queue = new WriteQueue(loop.buffers());
        this.packedPeer = PackedAddress.pack(peer);
        this.unpackedPeer = packedPeer == PackedAddress.NOT_PACKED ? peer : null;
    }

    /**
     * Loop thread: wraps a connected non-blocking socket, registers it for reading and calls
     * {@code connectionMade}. If the socket cannot be set up it is closed and the error thrown.
     */
    static StreamTransport start(EventLoop loop, Socket socket, Protocol protocol, StreamServer server)
            throws IOException {
        StreamTransport transport;
        try {
            Objects.requireNonNull(protocol, "the protocol factory returned null");
            transport = new StreamTransport(loop, socket, protocol, server, socket.peerAddress());
            loop.selector().register(socket, Events.READ, transport);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
        transport.interest = Events.READ;
        loop.track(transport);
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
        if (loop.inLoop()) {
            writeOnLoop(data, off, len);
        } else {
            handOverWrite(Arrays.copyOfRange(data, off, off + len));
        }
    }

    @Override
    public void write(ByteBuffer data) {
        if (loop.inLoop()) {
            writeOnLoop(data);
        } else {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            handOverWrite(copy);
        }
    }

    /** Another thread's write: counted in the write buffer until the loop takes it, in call order. */
    private void handOverWrite(byte[] copy) {
        HANDED_OVER.getAndAdd(this, (long) copy.length);
        if (!loop.execute(() -> {
            HANDED_OVER.getAndAdd(this, (long) -copy.length);
            writeOnLoop(copy, 0, copy.length);
        })) {
            HANDED_OVER.getAndAdd(this, (long) -copy.length); // the loop is closed, and so is the connection
        }
    }

    @Override
    public void writeEof() {
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

    /**
     * Closes for a server's shutdown: through the layer above, when there is one (TLS sends its
     * close_notify), else as {@link #close()}.
     */
    void closeForShutdown() {
        if (protocol instanceof ClosingLayer layer) {
            layer.closeThroughLayer();
        } else {
            close();
        }
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
        if ((events & Events.WRITE) != 0 && !closed) {
            flush();
        }
        if ((events & Events.READ) != 0 && !closed && (interest & Events.READ) != 0) {
            read();
        }
    }

    @Override
    public void descriptorLost(int errno) {
        lose(new NativeIOException("socket", errno, "the connection's socket was closed behind the loop"));
    }

    @Override
    public void closeNow() {
        abortOnLoop();
    }

    @Override
    public String toString() {
        return "connection " + PythonText.address(peerAddress());
    }

    // ---- on the loop ----

    private void read() {
        ByteBuffer buffer = loop.buffers().readBuffer();
        int n;
        try {
            n = socket.recv(buffer);
        } catch (IOException e) {
            lose(e);
            return;
        }
        if (n > 0) {
            try {
                protocol.dataReceived(loop.buffers().readView(n));
            } catch (RuntimeException | Error e) {
                loop.callbackFailed("dataReceived of " + this, e);
            }
        } else if (n == 0) {
            endOfStream();
        }
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
                socket.send(data);
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

    /** Whether a write of {@code len} bytes goes ahead; writes after close are dropped, as asyncio's. */
    private boolean writable(int len) {
        if (eofRequested) {
            throw new IllegalStateException("write after writeEof on " + this);
        }
        return len > 0 && !closeStarted && !closed;
    }

    private void queued() {
        queuedBytes = queue.size();
        updateInterest();
        checkHighWater();
    }

    private void flush() {
        try {
            queue.sendTo(socket);
        } catch (IOException e) {
            lose(e);
            return;
        }
        queuedBytes = queue.size();
        checkLowWater();
        if (closed || !queue.isEmpty()) {
            return; // closed by the protocol's resumeWriting, or still waiting for room
        }
        if (eofRequested) {
            shutdownOutput();
            if (closed) {
                return; // the shutdown failed and ended the connection
            }
        }
        if (closeStarted) {
            finishClose(null);
        } else {
            updateInterest();
        }
    }

    private void writeEofOnLoop() {
        if (eofRequested || closeStarted || closed) {
            return;
        }
        eofRequested = true;
        if (queue.isEmpty()) {
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
        closeQuietly(socket); // its close listener drops the selector key
        loop.untrack(this);
        if (server != null) {
            server.connectionClosed(this);
        }
        loop.callSoon(() -> connectionLost(cause));
    }

    private void connectionLost(Throwable cause) {
        try {
            protocol.connectionLost(cause);
        } catch (RuntimeException | Error e) {
            loop.callbackFailed("connectionLost of " + this, e);
        }
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
