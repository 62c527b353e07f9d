package io.selectors4j.loop.tls;

import io.selectors4j.loop.EventLoop;
import io.selectors4j.loop.Protocol;
import io.selectors4j.loop.TimerHandle;
import io.selectors4j.loop.TlsSession;
import io.selectors4j.loop.TlsTransport;
import io.selectors4j.loop.Transport;
import io.selectors4j.net.PythonText;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * One TLS connection: the {@link Protocol} of the plain transport beneath it, and the
 * {@link TlsTransport} of the application's protocol above it (asyncio's SSLProtocol and its
 * transport in one object, so that an idle connection holds one object more than a plain one, and
 * its engine).
 *
 * <p>Ciphertext read is copied into the loop's input scratch and decrypted there in place (the engine
 * needs a writable source, or it copies each record itself); records decrypted in one call are gathered
 * and handed to the application as one read-only view. Plaintext written is encrypted into the loop's
 * output scratch, several records per batch, and written to the plain transport, which sends at once
 * or copies what the socket does not take into its queue: so the write buffer and its marks count
 * encrypted bytes. Between calls a connection holds only what must wait: the tail of a record not yet
 * complete, ciphertext while reading is paused or a delegated task runs, plaintext written while the
 * engine cannot take it. Loop thread only, except the {@link Transport} methods, which hand themselves
 * over as a plain transport's do.
 */
final class TlsConnection implements Protocol, TlsTransport, ClosingLayer, Runnable {
    private static final System.Logger LOG = System.getLogger(TlsConnection.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final VarHandle HANDED_OVER;

    static {
        try {
            HANDED_OVER = MethodHandles.lookup().findVarHandle(TlsConnection.class, "handedOverBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Before the handshake completes: the application's protocol does not exist yet. */
    private static final byte HANDSHAKING = 0;
    /** The application's protocol is connected. */
    private static final byte OPEN = 1;
    /** close_notify sent: waiting for the flush and the peer's close_notify. */
    private static final byte CLOSING = 2;
    /** Aborted or failed: nothing more is read or written; the plain transport is closing. */
    private static final byte DONE = 3;
    /** The plain transport's connectionLost has run. */
    private static final byte LOST = 4;

    /** Makes the engine, and holds the settings. */
    private final Engines engines;
    private final LoopAccess access;
    /** Clients only: completed once the application's protocol is connected. */
    private final CompletableFuture<TlsTransport> connected;
    /** Makes the application's protocol; dropped once it has. */
    private Supplier<? extends Protocol> factory;
    /** A client's from the start; a server's made when the first bytes arrive. */
    private SSLEngine engine;
    private Transport raw;
    private TlsBuffers buffers;
    private Protocol app;
    /** Ciphertext kept between calls, in read mode; {@code null} when there is none. */
    private ByteBuffer held;
    /** Plaintext written while the engine could not take it, in read mode; {@code null} when there is none. */
    private ByteBuffer unsent;
    /** The handshake's deadline, then the shutdown's. */
    private TimerHandle timer;
    /** What ended the connection, told to connectionLost instead of the plain transport's cause. */
    private Throwable failure;
    private byte state = HANDSHAKING;
    private boolean tls13;
    private boolean taskRunning;
    private boolean pumping;
    private boolean appPaused;
    private boolean rawPaused;
    private boolean writingPaused;
    /** The peer's close_notify arrived, or the plain stream ended. */
    private boolean eofSeen;
    /** The plain stream ended while ciphertext was still held: end of stream follows it. */
    private boolean eofPending;
    private boolean eofDelivered;
    private boolean eofRequested;
    private boolean closeRequested;
    private volatile boolean closing;
    private volatile long unsentBytes;
    private volatile long handedOverBytes;

    TlsConnection(Engines engines, Supplier<? extends Protocol> factory, LoopAccess access, SSLEngine engine,
            CompletableFuture<TlsTransport> connected) {
        this.engines = engines;
        this.factory = factory;
        this.access = access;
        this.engine = engine;
        this.connected = connected;
    }

    // ---- Protocol: the plain transport beneath ----

    @Override
    public void connectionMade(Transport transport) {
        raw = transport;
        buffers = access.tlsBuffers(transport.loop());
        timer = transport.loop().callLater(engines.settings().handshakeTimeout(), this::handshakeTimedOut);
        if (connected != null) {
            connected.whenComplete((done, error) -> {
                if (connected.isCancelled()) {
                    abort();
                }
            });
            try {
                engine.beginHandshake();
            } catch (SSLException | RuntimeException e) {
                fail(e);
                return;
            }
            pumpEmpty();
        }
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (state >= DONE || eofSeen || !data.hasRemaining()) {
            return; // after close_notify or a failure, nothing more is read
        }
        if (engine == null && !startServerEngine()) {
            return;
        }
        if (held == null && canUnwrap() && buffers.claim()) {
            try {
                while (data.hasRemaining() && state < DONE) {
                    ByteBuffer input = buffers.input();
                    int n = Math.min(input.capacity(), data.remaining());
                    input.put(0, data, data.position(), n).limit(n);
                    data.position(data.position() + n);
                    pump(input);
                    if (input.hasRemaining() && state < DONE && !eofSeen) {
                        held = buffers.append(null, input);
                        break;
                    }
                }
            } finally {
                buffers.release();
            }
        }
        if (data.hasRemaining() && state < DONE && !eofSeen) {
            held = buffers.append(held, data);
            pumpHeld();
        }
    }

    @Override
    public boolean eofReceived() {
        if (state == HANDSHAKING) {
            failure = TlsErrors.handshakeFailed("the peer closed the connection", null);
            return false;
        }
        if (state >= CLOSING) {
            return false; // the close was waiting for this
        }
        if (eofSeen) {
            return state == OPEN; // close_notify came first and the protocol kept the connection open
        }
        if (held != null) {
            eofPending = true; // the protocol hears of it once it has read what is held
            pumpHeld();
            return state == OPEN;
        }
        eofSeen = true;
        return deliverEof();
    }

    @Override
    public void connectionLost(Throwable cause) {
        if (state == LOST) {
            return;
        }
        boolean handshaking = state == HANDSHAKING || app == null;
        state = LOST;
        closing = true;
        cancelTimer();
        release();
        Throwable reported = failure != null ? failure : cause;
        if (!handshaking) {
            try {
                app.connectionLost(reported);
            } catch (RuntimeException | Error e) {
                access.callbackFailed(raw.loop(), "connectionLost of " + this, e);
            }
            return;
        }
        if (factory == null && !(reported instanceof SSLException)) {
            if (connected != null) { // the protocol factory failed, and has been reported
                connected.completeExceptionally(reported);
            }
            return;
        }
        SSLException error = TlsErrors.handshakeFailed(reported);
        if (connected != null) {
            connected.completeExceptionally(error);
        } else if (engine != null || reported != null) {
            handshakeFailedOnServer(error);
        }
    }

    @Override
    public void pauseWriting() {
        writingPaused = true;
        if (state == OPEN || state == CLOSING && app != null) {
            try {
                app.pauseWriting();
            } catch (RuntimeException | Error e) {
                access.callbackFailed(raw.loop(), "pauseWriting of " + this, e);
            }
        }
    }

    @Override
    public void resumeWriting() {
        writingPaused = false;
        if (app != null && state <= CLOSING) {
            try {
                app.resumeWriting();
            } catch (RuntimeException | Error e) {
                access.callbackFailed(raw.loop(), "resumeWriting of " + this, e);
            }
        }
    }

    // ---- TlsTransport: the application above ----

    @Override
    public EventLoop loop() {
        return raw.loop();
    }

    @Override
    public void write(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        if (raw.loop().inLoop()) {
            writeOnLoop(data, off, len);
        } else {
            handOverWrite(Arrays.copyOfRange(data, off, off + len));
        }
    }

    @Override
    public void write(ByteBuffer data) {
        if (raw.loop().inLoop()) {
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
        try {
            raw.loop().callSoon(() -> {
                HANDED_OVER.getAndAdd(this, (long) -copy.length);
                writeOnLoop(copy, 0, copy.length);
            });
        } catch (RejectedExecutionException closedLoop) {
            HANDED_OVER.getAndAdd(this, (long) -copy.length); // the loop is closed, and so is the connection
        }
    }

    @Override
    public void writeEof() {
        onLoop(this::writeEofOnLoop);
    }

    @Override
    public void close() {
        closing = true;
        onLoop(this::closeOnLoop);
    }

    @Override
    public void abort() {
        closing = true;
        onLoop(this::abortOnLoop);
    }

    /** A server's shutdown: close_notify after what is queued; a handshake still under way is dropped. */
    @Override
    public void closeThroughLayer() {
        close();
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void pauseReading() {
        onLoop(() -> {
            appPaused = true;
            updateRawReading();
        });
    }

    @Override
    public void resumeReading() {
        onLoop(() -> {
            if (!appPaused) {
                return;
            }
            appPaused = false;
            updateRawReading();
            if (held != null) {
                raw.loop().callSoon(this); // never within another connection's use of the loop's scratch
            }
        });
    }

    @Override
    public boolean isReading() {
        return !appPaused && !closing && !eofSeen;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        raw.setWriteBufferLimits(high, low);
    }

    @Override
    public long writeBufferSize() {
        return raw.writeBufferSize() + unsentBytes + handedOverBytes;
    }

    @Override
    public SocketAddress localAddress() {
        return raw.localAddress();
    }

    @Override
    public SocketAddress peerAddress() {
        return raw.peerAddress();
    }

    @Override
    public TlsSession tlsSession() {
        SSLSession session = engine.getSession();
        List<Certificate> peer;
        try {
            peer = List.of(session.getPeerCertificates());
        } catch (SSLPeerUnverifiedException none) {
            peer = List.of();
        }
        String alpn = engine.getApplicationProtocol();
        return new TlsSession(session.getProtocol(), session.getCipherSuite(),
                alpn == null || alpn.isEmpty() ? null : alpn, peer, session);
    }

    @Override
    public String toString() {
        SocketAddress peer = raw == null ? null : raw.peerAddress();
        return "TLS connection " + (peer == null ? "(not connected)" : PythonText.address(peer));
    }

    // ---- Runnable: going on with held ciphertext, after a resume ----

    @Override
    public void run() {
        if (state < DONE && held != null && canUnwrap()) {
            pumpHeld();
        }
    }

    // ---- reading ----

    private boolean startServerEngine() {
        try {
            engine = engines.server();
            engine.beginHandshake();
            return true;
        } catch (SSLException | RuntimeException e) {
            fail(e);
            return false;
        }
    }

    /** Whether the engine may be given ciphertext now. */
    private boolean canUnwrap() {
        return state < DONE && !taskRunning && !(appPaused && state == OPEN);
    }

    /** Processes the held ciphertext, unless another connection's call holds the loop's scratch. */
    private void pumpHeld() {
        if (!canUnwrap()) {
            updateRawReading();
            return;
        }
        if (!buffers.claim()) {
            raw.loop().callSoon(this);
            return;
        }
        try {
            pump(held);
        } finally {
            buffers.release();
        }
        if (held != null && !held.hasRemaining()) {
            buffers.give(held);
            held = null;
        }
        if (eofPending && state == OPEN && canUnwrap()) {
            eofPending = false; // what is still held is a record the peer never finished: dropped
            eofSeen = true;
            if (held != null) {
                buffers.give(held);
                held = null;
            }
            if (!deliverEof()) {
                closeOnLoop();
            }
        }
        updateRawReading();
    }

    /** Runs the engine with no new ciphertext: to send what the handshake or a close has to send. */
    private void pumpEmpty() {
        if (held != null) {
            pumpHeld();
        } else if (buffers.claim()) {
            try {
                pump(EMPTY);
            } finally {
                buffers.release();
            }
        } else {
            raw.loop().callSoon(this::pumpEmpty);
        }
    }

    /**
     * Drives the engine as far as {@code source} and its state allow: delegated tasks started, handshake
     * records sent, records decrypted and the plaintext handed over in batches. Stops when the engine
     * wants more ciphertext, a task runs, the application paused reading, or the connection ended.
     */
    private void pump(ByteBuffer source) {
        if (pumping) {
            return;
        }
        pumping = true;
        ByteBuffer plain = null;
        try {
            records:
            while (state < DONE && !taskRunning) {
                HandshakeStatus status = engine.getHandshakeStatus();
                if (status == HandshakeStatus.NEED_TASK) {
                    startTasks();
                    break;
                }
                if (status == HandshakeStatus.NEED_WRAP) {
                    if (!wrapControl()) {
                        break;
                    }
                    continue;
                }
                if (state == HANDSHAKING && status == HandshakeStatus.NOT_HANDSHAKING) {
                    handshakeDone();
                    continue;
                }
                if (state == OPEN && appPaused || eofSeen) {
                    break;
                }
                if (plain == null) {
                    plain = buffers.plain();
                }
                SSLEngineResult result = engine.unwrap(source, buffers.one(plain));
                switch (result.getStatus()) {
                    case BUFFER_UNDERFLOW -> {
                        deliver(plain);
                        return;
                    }
                    case BUFFER_OVERFLOW -> {
                        if (plain.position() == 0) {
                            buffers.fit(engine.getSession().getPacketBufferSize());
                        }
                        deliver(plain);
                        plain = null;
                    }
                    case CLOSED -> {
                        deliver(plain);
                        plain = null;
                        closeNotifyReceived();
                    }
                    case OK -> {
                        if (renegotiating(result)) {
                            refuseRenegotiation();
                            return;
                        }
                        if (plain.remaining() < buffers.packetSize()) {
                            deliver(plain);
                            plain = null;
                        }
                        if (result.bytesConsumed() == 0 && result.bytesProduced() == 0
                                && result.getHandshakeStatus() != HandshakeStatus.NEED_TASK
                                && result.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                            break records; // nothing taken, nothing to do: wait for more ciphertext
                        }
                    }
                }
            }
            if (plain != null) {
                deliver(plain);
            }
        } catch (SSLException | RuntimeException e) {
            fail(e);
        } finally {
            pumping = false;
        }
    }

    /** Whether the peer started a new handshake over TLS 1.2 (TLS 1.3 has none, only its post-handshake messages). */
    private boolean renegotiating(SSLEngineResult result) {
        if (state == HANDSHAKING || tls13) {
            return false;
        }
        HandshakeStatus status = result.getHandshakeStatus();
        return status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED;
    }

    private void refuseRenegotiation() {
        failure = TlsErrors.renegotiationRefused();
        abortOnLoop();
    }

    /** Hands the plaintext gathered in the loop's scratch to the application, if it still reads. */
    private void deliver(ByteBuffer plain) {
        int length = plain.position();
        if (length == 0) {
            return;
        }
        plain.clear();
        if (state != OPEN || eofDelivered) {
            return; // read after the application closed: dropped, as a plain transport's would be
        }
        try {
            app.dataReceived(buffers.plainView(length));
        } catch (RuntimeException | Error e) {
            access.callbackFailed(raw.loop(), "dataReceived of " + this, e);
        }
    }

    /** The peer's close_notify: end of stream, or the answer a close was waiting for. */
    private void closeNotifyReceived() {
        eofSeen = true;
        switch (state) {
            case HANDSHAKING -> fail(TlsErrors.handshakeFailed("the peer closed the connection", null));
            case CLOSING -> {
                pumpControlRecords();
                raw.close();
            }
            case OPEN -> {
                pumpControlRecords(); // TLS 1.2 answers a close_notify with its own
                if (!deliverEof()) {
                    closeOnLoop();
                }
            }
            default -> {
            }
        }
    }

    /** Tells the application its peer finished sending; returns whether it keeps the connection open. */
    private boolean deliverEof() {
        if (eofDelivered || state != OPEN) {
            return false;
        }
        eofDelivered = true;
        boolean keepOpen;
        try {
            keepOpen = app.eofReceived();
        } catch (RuntimeException | Error e) {
            access.callbackFailed(raw.loop(), "eofReceived of " + this, e);
            keepOpen = false;
        }
        updateRawReading();
        return keepOpen;
    }

    private void handshakeDone() {
        state = OPEN;
        tls13 = "TLSv1.3".equals(engine.getSession().getProtocol());
        cancelTimer();
        Supplier<? extends Protocol> made = factory;
        factory = null;
        try {
            app = Objects.requireNonNull(made.get(), "the protocol factory returned null");
        } catch (RuntimeException | Error e) {
            access.callbackFailed(raw.loop(), "protocol factory of " + this, e);
            failure = e;
            abortOnLoop();
            return;
        }
        try {
            app.connectionMade(this);
        } catch (RuntimeException | Error e) {
            access.callbackFailed(raw.loop(), "connectionMade of " + this, e);
        }
        if (writingPaused && state == OPEN) {
            pauseWriting();
        }
        if (connected != null && !connected.complete(this)) {
            abortOnLoop(); // the connect was cancelled meanwhile
        }
    }

    // ---- delegated tasks ----

    /** Starts the engine's delegated tasks; the connection waits for them, reading nothing. */
    private void startTasks() {
        taskRunning = true;
        updateRawReading();
        try {
            DelegatedTasks.start(engine, engines.settings().taskExecutor(), raw.loop(), this::tasksDone);
        } catch (RejectedExecutionException e) {
            taskRunning = false;
            fail(new SSLException("the TLS task executor refused the handshake's work", e));
        }
    }

    private void tasksDone() {
        taskRunning = false;
        if (state >= DONE) {
            return;
        }
        updateRawReading();
        pumpEmpty();
        if (state >= OPEN && state < DONE && !taskRunning) {
            flushUnsent();
        }
        if (closeRequested && state == OPEN && !taskRunning) {
            closeOnLoop();
        }
    }

    // ---- writing ----

    private void writeOnLoop(byte[] data, int off, int len) {
        if (!writable(len)) {
            return;
        }
        if (mustWait()) {
            unsent = buffers.append(unsent, ByteBuffer.wrap(data, off, len));
            unsentBytes = unsent.remaining();
            return;
        }
        while (len > 0 && state == OPEN) {
            ByteBuffer chunk = buffers.toEncrypt();
            int n = Math.min(len, chunk.capacity());
            chunk.put(data, off, n).flip();
            off += n;
            len -= n;
            encrypt(chunk);
        }
    }

    private void writeOnLoop(ByteBuffer data) {
        if (!writable(data.remaining())) {
            data.position(data.limit()); // consumed, as the contract says, though dropped
            return;
        }
        if (mustWait()) {
            unsent = buffers.append(unsent, data);
            unsentBytes = unsent.remaining();
            return;
        }
        encrypt(data);
        data.position(data.limit());
    }

    /** Whether a write of {@code len} bytes goes ahead; writes after close are dropped, as asyncio's. */
    private boolean writable(int len) {
        if (eofRequested) {
            throw new IllegalStateException("write after writeEof on " + this);
        }
        if (state == HANDSHAKING) {
            throw new IllegalStateException("write before the handshake completed on " + this);
        }
        return len > 0 && state == OPEN && !closeRequested;
    }

    /** Whether plaintext has to wait: a task runs, or earlier plaintext is waiting. */
    private boolean mustWait() {
        return taskRunning || unsent != null;
    }

    private void flushUnsent() {
        if (unsent == null) {
            return;
        }
        ByteBuffer waiting = unsent;
        unsent = null;
        encrypt(waiting); // what the engine still does not take goes back into unsent
        buffers.give(waiting);
        unsentBytes = unsent == null ? 0 : unsent.remaining();
    }

    /**
     * Encrypts all of {@code source} in batches of records and writes each batch to the plain transport.
     * The output scratch is written out before anything can call back (the plain transport copies what
     * it cannot send before it tells of the high-water mark), so another connection may use it then.
     */
    private void encrypt(ByteBuffer source) {
        try {
            ByteBuffer out = buffers.encrypted();
            while (source.hasRemaining() && state <= CLOSING) {
                if (out.remaining() < buffers.packetSize()) {
                    send(out);
                    out = buffers.encrypted();
                }
                SSLEngineResult result = engine.wrap(buffers.one(source), out);
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    source.position(source.limit()); // the peer's close_notify over TLS 1.2 closed both ways
                    break;
                }
                if (result.getStatus() == SSLEngineResult.Status.OK && result.bytesConsumed() == 0
                        && result.bytesProduced() == 0) {
                    // The engine takes no plaintext now (a post-handshake message needs a delegated task
                    // first): the rest waits, and goes once the task is done.
                    send(out);
                    unsent = buffers.append(unsent, source);
                    unsentBytes = unsent.remaining();
                    if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK && !taskRunning) {
                        startTasks();
                    }
                    return;
                }
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    if (out.position() == 0) {
                        buffers.fit(engine.getSession().getPacketBufferSize());
                    }
                    send(out);
                    out = buffers.encrypted();
                }
            }
            send(out);
            if (engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING && state < DONE) {
                pumpEmpty(); // a key update to send, or the like
            }
        } catch (SSLException | RuntimeException e) {
            fail(e);
        }
    }

    /**
     * Wraps what the engine has to send on its own (handshake messages, alerts, close_notify, TLS 1.3
     * post-handshake messages) and writes it; returns whether anything was produced or the engine
     * moved on.
     */
    private boolean wrapControl() throws SSLException {
        ByteBuffer out = buffers.encrypted();
        SSLEngineResult result;
        do {
            result = engine.wrap(buffers.one(EMPTY), out);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                if (out.position() == 0) {
                    buffers.fit(engine.getSession().getPacketBufferSize());
                    out = buffers.encrypted();
                    continue;
                }
                break;
            }
        } while (result.getStatus() == SSLEngineResult.Status.OK
                && result.getHandshakeStatus() == HandshakeStatus.NEED_WRAP
                && out.remaining() >= buffers.packetSize());
        boolean produced = out.position() > 0;
        send(out);
        return produced || engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP;
    }

    /** Sends what the engine still has to say (an alert, a close_notify), ignoring its failures. */
    private void pumpControlRecords() {
        try {
            while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && wrapControl()) {
                // each turn writes one batch
            }
        } catch (SSLException | RuntimeException e) {
            // the engine is broken: nothing more to say
        }
    }

    private void send(ByteBuffer out) {
        if (out.position() > 0) {
            out.flip();
            raw.write(out);
        }
    }

    // ---- closing ----

    private void writeEofOnLoop() {
        if (eofRequested || state != OPEN || closeRequested) {
            return;
        }
        eofRequested = true;
        flushUnsent();
        engine.closeOutbound();
        pumpControlRecords();
        raw.writeEof();
    }

    private void closeOnLoop() {
        closing = true;
        if (state == HANDSHAKING) {
            abortOnLoop();
            return;
        }
        if (state != OPEN) {
            return;
        }
        closeRequested = true;
        if (taskRunning) {
            return; // closes once the task is done and the waiting plaintext sent
        }
        flushUnsent();
        state = CLOSING;
        engine.closeOutbound();
        pumpControlRecords();
        startTimer(engines.settings().shutdownTimeout(), this::shutdownTimedOut);
        if (eofSeen) {
            raw.close(); // the peer has finished already: flush and close
        } else {
            raw.writeEof(); // peers that wait for the end of the stream answer sooner
            updateRawReading();
        }
    }

    private void abortOnLoop() {
        closing = true;
        if (state >= DONE) {
            return;
        }
        state = DONE;
        raw.abort();
    }

    /** A TLS failure: the engine's alert is sent, then the connection closed; the protocol hears the error. */
    private void fail(Exception e) {
        if (state >= DONE) {
            return;
        }
        boolean handshaking = state == HANDSHAKING;
        if (failure == null) {
            failure = handshaking ? TlsErrors.handshakeFailed(TlsErrors.describe(e), e) : TlsErrors.failed(e);
        }
        state = DONE;
        closing = true;
        if (engine != null) {
            pumpControlRecords(); // the alert
        }
        if (timer == null) {
            startTimer(engines.settings().shutdownTimeout(), this::shutdownTimedOut);
        }
        raw.close();
    }

    private void handshakeTimedOut() {
        timer = null;
        if (state == HANDSHAKING) {
            failure = TlsErrors.handshakeFailed("timed out after "
                    + TlsErrors.seconds(engines.settings().handshakeTimeout()), null);
            abortOnLoop();
        } else if (state == DONE) {
            raw.abort(); // a failed handshake whose alert could not be flushed
        }
    }

    private void shutdownTimedOut() {
        timer = null;
        if (state == CLOSING || state == DONE) {
            state = DONE;
            raw.abort();
        }
    }

    private void startTimer(Duration delay, Runnable task) {
        cancelTimer();
        timer = raw.loop().callLater(delay, task);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** Returns the held buffers to the pool: the connection is gone. */
    private void release() {
        if (held != null) {
            buffers.give(held);
            held = null;
        }
        if (unsent != null) {
            buffers.give(unsent);
            unsent = null;
            unsentBytes = 0;
        }
    }

    private void handshakeFailedOnServer(SSLException error) {
        SocketAddress peer = raw.peerAddress();
        var listener = engines.settings().handshakeFailureListener();
        if (listener == null) {
            LOG.log(System.Logger.Level.DEBUG, () -> PythonText.address(peer) + ": " + error.getMessage());
            return;
        }
        try {
            listener.accept(peer, error);
        } catch (RuntimeException | Error e) {
            access.callbackFailed(raw.loop(), "handshake failure listener of " + this, e);
        }
    }

    // ---- reading state ----

    /** Reads from the plain transport only while the data can go somewhere. */
    private void updateRawReading() {
        if (state >= DONE || raw == null) {
            return;
        }
        boolean wanted = state == CLOSING || !taskRunning && !eofSeen && !(state == OPEN && appPaused);
        if (wanted == !rawPaused) {
            return;
        }
        rawPaused = !wanted;
        if (wanted) {
            raw.resumeReading();
        } else {
            raw.pauseReading();
        }
    }

    private void onLoop(Runnable action) {
        if (raw.loop().inLoop()) {
            action.run();
        } else {
            try {
                raw.loop().callSoon(action);
            } catch (RejectedExecutionException closedLoop) {
                // a closed loop has aborted its connections
            }
        }
    }
}
