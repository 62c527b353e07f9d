package io.selectors4j.loop;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.loop.tls.ClosingLayer;
import io.selectors4j.net.PythonText;
import io.selectors4j.net.Socket;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * The {@link Transport} rules both backends' stream connections keep, and the state they keep them
 * with: writes handed over from other threads, end of stream, close and abort from any thread, the
 * watermarks, the idle timeout, the addresses and the server's shutdown. How bytes move, and what the
 * kernel is asked for, is the subclass's: {@link StreamTransport} on a readiness loop,
 * {@link UringStreamTransport} on an io_uring loop. Every state change happens on the loop thread;
 * the public methods called elsewhere hand themselves to the loop (see {@link Transport}).
 *
 * <p>A connection of a server with an {@link ServerOptions#idleTimeout()} notes the time of its last
 * progress (a receive that returned data, a send that moved bytes) from the loop's once-per-iteration
 * clock, and keeps one timer: when it fires it compares that note with the clock and either aborts
 * the connection or re-arms itself for the rest of the timeout. Nothing is allocated per message.
 */
abstract sealed class AbstractStreamTransport implements StreamConnection
        permits StreamTransport, UringStreamTransport {
    static final int DEFAULT_HIGH_WATER = 64 * 1024;
    static final int DEFAULT_LOW_WATER = 16 * 1024;
    private static final VarHandle HANDED_OVER;

    static {
        try {
            HANDED_OVER = MethodHandles.lookup().findVarHandle(AbstractStreamTransport.class, "handedOverBytes",
                    long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EventLoop loop;
    final Socket socket;
    final Protocol protocol;
    final StreamServer server;
    final WriteQueue queue;
    /** The peer packed ({@link PackedAddress}) when it is IPv4; otherwise {@link #unpackedPeer} holds it. */
    private final long packedPeer;
    private final SocketAddress unpackedPeer;
    /** Asked for lazily, so an idle connection holds no second address. */
    private volatile SocketAddress local;
    private int highWater = DEFAULT_HIGH_WATER;
    private int lowWater = DEFAULT_LOW_WATER;
    private boolean writingPaused;
    boolean eofReceived;
    /** Set by writeEof() at once on any thread: later writes are refused on their caller's thread. */
    private volatile boolean eofRequested;
    /** Loop thread: writeEof has run here; the shutdown waits for the queue and the handed-over writes. */
    private boolean eofPending;
    private boolean eofSent;
    /** Loop thread: close or abort has run here, so later writes are dropped (writes made before it are not). */
    boolean closeStarted;
    /** Finished for the protocol: nothing more is written, read or delivered. */
    boolean closed;
    volatile boolean readingPaused;
    /** Set at once by close() on any thread, for {@link #isClosing()} only. */
    private volatile boolean closing;
    volatile long queuedBytes;
    /** Bytes written from other threads and not yet taken by the loop: part of the write buffer too. */
    private volatile long handedOverBytes;
    /** The server's idle timeout in nanoseconds, 0 for none. */
    private final long idleTimeoutNanos;
    /** When bytes last moved, on the loop's cached clock (only with an idle timeout). */
    private long lastProgress;
    private ScheduledTask idleTimer;

    AbstractStreamTransport(EventLoop loop, Socket socket, Protocol protocol, StreamServer server,
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

    // ---- what the backend does on the loop thread ----

    /** Loop thread: a write of the loop thread's own; drops it (consuming a buffer) unless {@link #writable}. */
    abstract void writeOnLoop(byte[] data, int off, int len);

    /** Loop thread: as {@link #writeOnLoop(byte[], int, int)}, for a buffer. */
    abstract void writeOnLoop(ByteBuffer data);

    /** Loop thread: asks the kernel for what the state needs (reading while {@link #isReading()}, ...). */
    abstract void updateInterest();

    /** Loop thread: a close or end of stream is asked for; starts sending what is queued if it waits. */
    abstract void startSending();

    /** Loop thread: nothing queued or being sent. */
    abstract boolean drained();

    /**
     * Loop thread: the connection has ended for the protocol (its flags set, its idle timer cancelled):
     * releases the socket and what the backend holds, then {@link #reportClosed}.
     */
    abstract void ended(Throwable cause);

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

    // ---- for the server and the loop ----

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
    public void closeNow() {
        abortOnLoop();
    }

    @Override
    public String toString() {
        return "connection " + PythonText.address(peerAddress());
    }

    // ---- on the loop ----

    /** Loop thread, once the backend has set the socket up: the idle timer, the server's count, connectionMade. */
    final void started() {
        if (idleTimeoutNanos > 0) {
            lastProgress = loop.time();
            armIdleTimer();
        }
        if (server != null) {
            server.connectionStarted(this);
        }
        try {
            protocol.connectionMade(this);
        } catch (RuntimeException | Error e) {
            loop.callbackFailed("connectionMade of " + this, e);
        }
    }

    /** Bytes arrived: the idle timeout hears of it, then the protocol. */
    final void deliverData(ByteBuffer data) {
        progressed();
        try {
            protocol.dataReceived(data);
        } catch (RuntimeException | Error e) {
            loop.callbackFailed("dataReceived of " + this, e);
        }
    }

    final void endOfStream() {
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

    /**
     * Whether a write of {@code len} bytes goes ahead; writes after close are dropped, as asyncio's.
     * (Writes after writeEof were refused on their caller's thread.)
     */
    final boolean writable(int len) {
        return len > 0 && !closeStarted && !closed;
    }

    private void writeEofOnLoop() {
        if (eofPending || closeStarted || closed) {
            return;
        }
        eofPending = true;
        startSending();
        shutdownIfDrained();
    }

    /** Shuts down the sending side once writeEof ran and every write made before it has been sent. */
    final void shutdownIfDrained() {
        if (eofPending && !eofSent && !closed && drained() && handedOverBytes == 0) {
            eofSent = true;
            try {
                socket.shutdown(Socket.SHUT_WR);
            } catch (IOException e) {
                lose(e);
            }
        }
    }

    final void closeOnLoop() {
        closing = true;
        closeStarted = true;
        if (closed) {
            return;
        }
        startSending();
        if (closed) {
            return; // the send failed and ended the connection
        }
        if (drained()) {
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
        resetOnClose();
        finishClose(null);
    }

    /** An I/O error (ECONNRESET, EPIPE...) ends the connection: the protocol hears of it. */
    final void lose(IOException cause) {
        closing = true;
        closeStarted = true;
        if (!closed) {
            finishClose(cause);
        }
    }

    final void finishClose(Throwable cause) {
        closed = true;
        closing = true;
        closeStarted = true;
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
        ended(cause);
    }

    /** The socket and the loop's hold on it are gone: the server hears of it, the protocol next. */
    final void reportClosed(Throwable cause) {
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

    private void resetOnClose() {
        try {
            socket.setLinger(0);
        } catch (IOException e) {
            // the reset is best effort: the socket is closed below either way
        }
    }

    // ---- the idle timeout ----

    /** Bytes moved: notes the time for the idle timeout (a field write; the clock is read once per iteration). */
    final void progressed() {
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
        resetOnClose();
        finishClose(new NativeIOException("idle", Errno.ETIMEDOUT,
                "no bytes moved in either direction for " + Duration.ofNanos(idleTimeoutNanos)));
    }

    // ---- reading and the watermarks ----

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

    final void checkHighWater() {
        if (!writingPaused && !closed && queue.size() + handedOverBytes > highWater) {
            writingPaused = true;
            try {
                protocol.pauseWriting();
            } catch (RuntimeException | Error e) {
                loop.callbackFailed("pauseWriting of " + this, e);
            }
        }
    }

    final void checkLowWater() {
        if (writingPaused && !closed && queue.size() <= lowWater) {
            writingPaused = false;
            try {
                protocol.resumeWriting();
            } catch (RuntimeException | Error e) {
                loop.callbackFailed("resumeWriting of " + this, e);
            }
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do: the descriptor is released either way
        }
    }
}
