package io.selectors4j.loop;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.loop.uring.CompletionOwner;
import io.selectors4j.loop.uring.UringEngine;
import io.selectors4j.net.PythonText;
import io.selectors4j.net.Socket;
import io.selectors4j.selectors.Events;
import io.selectors4j.sys.FileCalls;
import io.selectors4j.sys.Platform;
import io.selectors4j.sys.AcceptAddress;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A listening socket on one loop: accepts until the socket would block (at most
 * {@link ServerOptions#acceptBatch()} per readiness), hands each connection to a loop (its own, or the
 * next of a {@link LoopGroup}) as a {@link StreamTransport}, and keeps count of the open ones.
 *
 * <p>Accepting pauses (READ interest removed) while {@link ServerOptions#maxConnections()} are open,
 * counted by a {@link ConnectionLimit} that the listeners of a group share.
 * Out of descriptors, it frees the loop's spare descriptor, accepts and closes the pending connection
 * and takes the spare again; if even that fails it stops accepting for a moment. Transient accept
 * errors (ECONNABORTED and the like) are skipped: nothing but {@link #close()} stops a server.
 *
 * <p>Its connections may live on other loops (a {@link LoopGroup}'s Unix listener hands them round);
 * each is closed by its own loop's close, and {@link #shutdown} reaches each on its own loop, so a
 * shutdown completes whichever of these loops has closed.
 */
final class StreamServer implements Server, Handler, LoopResource, CompletionOwner {
    private static final LoopLog LOG = new LoopLog(StreamServer.class);
    private static final Duration EXHAUSTED_BACKOFF = Duration.ofMillis(100);
    private static final long WARNING_INTERVAL_NANOS = 1_000_000_000L;
    private static final int OP_ACCEPT = 8;
    private static final int OP_READABLE = 9;


    private final EventLoop loop;
    private final Socket listener;
    private final SocketAddress address;
    private final Supplier<? extends Protocol> factory;
    private final ServerOptions options;
    private final Supplier<EventLoop> connectionLoops;
    private final ConnectionLimit limit;
    private final Set<StreamConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger openCount = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final long idleTimeoutNanos;
    private volatile boolean serving = true;
    private volatile boolean shuttingDown;
    /** When a shutdown aborts the connections still open, on {@link System#nanoTime()}. */
    private volatile long shutdownDeadline;
    /** Set once the listening socket is closed: no connection can be accepted any more. */
    private volatile boolean listenerClosed;
    /** Accepting: registered for readiness, or (io_uring) a multishot accept armed or about to be. */
    private boolean registered;
    private boolean backingOff;
    /** io_uring: the listener's slot (-1 until the first accept) and whether its accept (or poll) is in flight. */
    private int slot = -1;
    private boolean acceptInFlight;
    /** io_uring: the last accept failed with EMFILE: a poll waits for a pending connection. */
    private boolean outOfDescriptors;
    /** io_uring: the poll found a connection pending, not accepted yet. */
    private boolean readable;
    /** io_uring: where the accept in flight writes its peer's address. */
    private AcceptAddress peer;
    private volatile long nextWarning;

    private StreamServer(EventLoop loop, Socket listener, SocketAddress address, Supplier<? extends Protocol> factory,
            ServerOptions options, Supplier<EventLoop> connectionLoops, ConnectionLimit limit) {
        this.loop = loop;
        this.listener = listener;
        this.address = address;
        this.factory = factory;
        this.options = options;
        this.connectionLoops = connectionLoops;
        this.limit = limit;
        this.idleTimeoutNanos = options.idleTimeout() == null ? 0 : EventLoop.delayNanos(options.idleTimeout());
        limit.add(this);
    }

    /**
     * Binds and listens on the caller's thread (errors are thrown here), then starts accepting on
     * {@code loop}; connections go to the loops {@code connectionLoops} names, within {@code limit}.
     */
    static StreamServer open(EventLoop loop, SocketAddress address, Supplier<? extends Protocol> factory,
            ServerOptions options, Supplier<EventLoop> connectionLoops, ConnectionLimit limit) throws IOException {
        Socket listener = bindAndListen(address, options);
        StreamServer server;
        try {
            server = new StreamServer(loop, listener, listener.localAddress(), factory, options, connectionLoops, limit);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        if (!loop.execute(server::start)) {
            listener.close();
            throw EventLoop.closedError();
        }
        return server;
    }

    private static Socket bindAndListen(SocketAddress address, ServerOptions options) throws IOException {
        boolean tcp;
        Socket socket;
        switch (address) {
            case InetSocketAddress inet when inet.isUnresolved() ->
                    throw new IllegalArgumentException("unresolved address: " + inet);
            case InetSocketAddress inet -> {
                tcp = true;
                socket = inet.getAddress() instanceof Inet6Address ? Socket.tcp6(true) : Socket.tcp4(true);
            }
            case UnixDomainSocketAddress unix -> {
                tcp = false;
                socket = Socket.unix(true);
            }
            case null -> throw new NullPointerException("address");
            default -> throw new IllegalArgumentException("cannot listen on " + address.getClass().getName()
                    + ": use an InetSocketAddress or a UnixDomainSocketAddress");
        }
        try {
            if (tcp) {
                socket.setReuseAddress(options.reuseAddress());
                if (options.reusePort()) {
                    socket.setReusePort(true);
                }
            }
            socket.bind(address);
            socket.listen(options.backlog());
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    // ---- Server ----

    @Override
    public SocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        if (serving) {
            serving = false;
            loop.execute(this::closeListener); // a closed loop has closed the listener already
        }
    }

    /**
     * Closes the listener, then asks each connection, on its own loop, to flush and close by the
     * deadline; a connection still being handed to its loop does the same once it starts. Needs no
     * loop of its own, so it completes whether the listener's loop runs or has closed.
     */
    @Override
    public CompletableFuture<Void> shutdown(Duration grace) {
        long deadline = TimerQueue.deadlineAfter(System.nanoTime(), EventLoop.delayNanos(grace));
        if (!shuttingDown) {
            shutdownDeadline = deadline;
            shuttingDown = true;
        }
        close();
        for (StreamConnection connection : connections) {
            connection.closeBy(shutdownDeadline);
        }
        completeIfDrained();
        return drained;
    }

    @Override
    public int connectionCount() {
        return openCount.get();
    }

    @Override
    public boolean isServing() {
        return serving;
    }

    @Override
    public String toString() {
        return "server " + PythonText.address(address);
    }

    // ---- Handler ----

    @Override
    public void ready(int events) {
        for (int i = 0; i < options.acceptBatch() && registered && serving && limit.tryTake(); i++) {
            Socket.Accepted accepted;
            try {
                accepted = listener.accept(true);
            } catch (NativeIOException e) {
                limit.giveBack();
                if (!acceptFailed(e)) {
                    break;
                }
                continue;
            } catch (IOException e) {
                limit.giveBack();
                warn("accept failed", e);
                break;
            }
            if (accepted == null) {
                limit.giveBack();
                break;
            }
            hand(accepted.socket(), accepted.peer());
        }
        if (limit.reached()) {
            stopAccepting();
        }
    }

    @Override
    public void descriptorLost(int errno) {
        registered = false;
        serving = false;
        // Gone already: closing it again could close whichever file has its number now.
        listenerClosed = true;
        warn("the listening socket was closed behind the loop", new NativeIOException("accept", errno));
        loop.untrack(this);
        completeIfDrained();
    }

    /** The loop is closing: the listener goes; the connections on this loop are its resources too. */
    @Override
    public void closeNow() {
        serving = false;
        closeListener();
    }

    // ---- for the transports, from any loop ----

    /** A connection of this server is set up, just before its {@code connectionMade}. */
    void connectionStarted(StreamConnection connection) {
        connections.add(connection);
    }

    /** A connection of this server closed: count it out, resume accepting below the limit. */
    void connectionClosed(StreamConnection connection) {
        connections.remove(connection);
        countOut();
    }

    private void countOut() {
        openCount.decrementAndGet();
        limit.giveBack();
        completeIfDrained();
    }

    /** The shutdown is over once no connection is open and the listener can accept none. */
    private void completeIfDrained() {
        if (shuttingDown && listenerClosed && openCount.get() == 0) {
            drained.complete(null);
        }
    }

    /** The server's idle timeout in nanoseconds, 0 for none. */
    long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    /** A place under the connection limit freed up: accept again, on this server's loop. */
    void resumeAccepting() {
        loop.execute(this::startAccepting);
    }

    // ---- on the loop ----

    private void start() {
        if (!serving) {
            closeListener();
            return;
        }
        try {
            loop.track(this);
        } catch (RejectedExecutionException closing) {
            serving = false;
            closeListener();
            return;
        }
        loop.spareDescriptor().acquire();
        startAccepting();
    }

    private void startAccepting() {
        if (!serving || registered || backingOff || limit.reached() || loop.isClosed()) {
            return;
        }
        if (loop.uring() != null) {
            registered = true;
            armAccept();
            return;
        }
        try {
            loop.selector().register(listener, Events.READ, this);
            registered = true;
        } catch (IOException | RuntimeException e) {
            warn("cannot watch the listening socket", e);
        }
    }

    private void stopAccepting() {
        if (registered) {
            registered = false;
            if (loop.uring() != null) {
                cancelAccept();
            } else if (!loop.selector().isClosed()) { // closed: the loop's run() failed, and the key went with it
                loop.selector().unregister(listener);
            }
        }
    }

    // ---- io_uring: one accept in flight at a time ----

    /**
     * Writes the next accept, a place under the limit taken first, as the readiness path takes one
     * before each accept: so a connection past the limit stays in the backlog. With a limit, a poll
     * first waits for a pending connection, so that a place goes to a listener of the group that has
     * one (an accept armed in advance would hold it for nobody). Out of descriptors, a poll waits too:
     * an accept would fail at once, a connection pending or not.
     */
    private void armAccept() {
        if (listenerClosed) {
            return;
        }
        UringEngine engine = loop.uring();
        if (slot < 0) {
            slot = engine.attach(this);
            peer = engine.takeAcceptAddress();
        }
        if (acceptInFlight || !registered || !serving || listenerClosed) {
            return;
        }
        if ((outOfDescriptors || limit.isLimited()) && !readable) {
            acceptInFlight = true;
            engine.sqe().pollOnce(listener.fileno(), Platform.POLLIN, engine.token(OP_READABLE, slot));
            return;
        }
        if (!limit.tryTake()) {
            stopAccepting();
            return;
        }
        acceptInFlight = true;
        peer.prepare();
        engine.sqe().accept(listener.fileno(), peer.address(), peer.lengthAddress(),
                Platform.SOCK_CLOEXEC | Platform.SOCK_NONBLOCK, engine.token(OP_ACCEPT, slot));
    }

    /**
     * Cancels the accept in flight, at once: the operation holds the listening socket open, so a
     * listener being closed would otherwise go on listening until the loop's next wait. On a loop that
     * is closing, the ring's own close cancels it.
     */
    private void cancelAccept() {
        UringEngine engine = loop.uring();
        if (acceptInFlight && engine.isIssuer() && !loop.isRefusing()) {
            engine.sqe().cancelAll(listener.fileno(), UringEngine.ignored());
            engine.submitNow();
        }
    }

    @Override
    public void complete(int operation, int result, int flags) {
        acceptInFlight = false;
        if (operation == OP_READABLE) {
            readable = result > 0; // a connection is pending: accept it, or shed it if still out
            outOfDescriptors &= !readable;
        } else if (result >= 0) {
            readable = false;
            accepted(result);
        } else {
            readable = false;
            limit.giveBack();
            if (result == -Errno.EMFILE || result == -Errno.ENFILE) {
                outOfDescriptors = true;
            }
            if (result != -Errno.ECANCELED && !listenerClosed) {
                acceptFailed(new NativeIOException("accept", -result));
            }
        }
        if (listenerClosed && !acceptInFlight) {
            releaseSlot();
        } else {
            armAccept();
        }
    }

    /**
     * io_uring: the accept (or poll) in flight holds the listening socket, so closing the descriptor
     * would leave it listening until the ring lets go, after the loop's close has returned when the
     * ring closes with it. Shutting its reading down stops the listening at once (new connections
     * are refused) and ends the operation.
     */
    private void stopListening() {
        try {
            listener.shutdown(Socket.SHUT_RD);
        } catch (IOException e) {
            // not listening any more either way
        }
    }

    /** io_uring: the listener's last operation is over: its slot and accept address go back. */
    private void releaseSlot() {
        UringEngine engine = loop.uring();
        engine.detach(slot);
        engine.giveAcceptAddress(peer);
        slot = -1;
        peer = null;
    }

    /** io_uring: the kernel accepted {@code fd} from the peer whose address it wrote. */
    private void accepted(int fd) {
        SocketAddress from = peer.peer();
        if (listenerClosed || !serving) {
            closeQuietly(fd);
            limit.giveBack();
            return;
        }
        Socket socket;
        try {
            socket = Socket.adopt(fd);
        } catch (IOException | RuntimeException e) {
            closeQuietly(fd);
            limit.giveBack();
            warn("cannot take an accepted connection", e);
            return;
        }
        hand(socket, from);
        if (limit.reached()) {
            stopAccepting();
        }
    }

    private static void closeQuietly(int fd) {
        try {
            FileCalls.close(fd);
        } catch (NativeIOException e) {
            // released either way
        }
    }

    /** Handles an accept error; returns whether accepting may go on in this batch. */
    private boolean acceptFailed(NativeIOException e) {
        switch (e.errno()) {
            case Errno.EMFILE, Errno.ENFILE -> {
                warn("out of descriptors: refusing pending connections until some close", e);
                return shedPendingConnection();
            }
            case Errno.ENOBUFS, Errno.ENOMEM -> {
                warn("out of memory for a connection: pausing accepts", e);
                backOff();
                return false;
            }
            default -> {
                warn("accept failed, skipping that connection", e);
                return true;
            }
        }
    }

    /**
     * Frees the spare descriptor, accepts and closes one pending connection, and takes the spare again.
     * If the spare was not held or cannot be taken again, stops accepting for a moment instead of
     * spinning on a readable listener. Returns whether accepting may go on.
     */
    private boolean shedPendingConnection() {
        SpareDescriptor spare = loop.spareDescriptor();
        boolean freed = spare.release();
        if (freed) {
            try {
                Socket.Accepted pending = listener.accept(true);
                if (pending != null) {
                    pending.socket().close();
                }
            } catch (IOException e) {
                // the descriptor went to someone else: the backoff below applies
            }
        }
        if (freed && spare.acquire()) {
            return true;
        }
        backOff();
        return false;
    }

    private void backOff() {
        stopAccepting();
        backingOff = true;
        loop.scheduleAfter(EXHAUSTED_BACKOFF, () -> {
            backingOff = false;
            loop.spareDescriptor().acquire();
            startAccepting();
        });
    }

    private void hand(Socket socket, SocketAddress peer) {
        try {
            if (!(address instanceof UnixDomainSocketAddress)) {
                socket.setTcpNoDelay(options.tcpNoDelay());
            }
            if (options.receiveBufferSize() > 0) {
                socket.setReceiveBufferSize(options.receiveBufferSize());
            }
            if (options.sendBufferSize() > 0) {
                socket.setSendBufferSize(options.sendBufferSize());
            }
        } catch (IOException e) {
            warn("cannot set up an accepted connection, closing it", e);
            closeQuietly(socket);
            limit.giveBack();
            return;
        }
        openCount.incrementAndGet();
        EventLoop target = connectionLoops.get();
        if (!target.execute(() -> adopt(target, socket, peer))) {
            warn("cannot hand over a connection, closing it", new RejectedExecutionException("its loop is closed"));
            closeQuietly(socket);
            countOut();
        }
    }

    /** On the connection's loop: makes the transport, or closes the socket if that fails. */
    private void adopt(EventLoop target, Socket socket, SocketAddress peer) {
        Protocol protocol;
        try {
            protocol = factory.get();
        } catch (RuntimeException | Error e) {
            target.callbackFailed("protocol factory of " + this, e);
            closeQuietly(socket);
            countOut();
            return;
        }
        StreamConnection connection;
        try {
            connection = StreamConnection.start(target, socket, peer, protocol, this);
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof RejectedExecutionException)) {
                warn("cannot start a connection", e);
            }
            countOut();
            return;
        }
        if (shuttingDown) { // handed over while the shutdown went through the connections: flushed the same way
            connection.closeBy(shutdownDeadline);
        }
    }

    private void closeListener() {
        if (listenerClosed) {
            return;
        }
        stopAccepting();
        loop.untrack(this);
        if (acceptInFlight) {
            stopListening();
        }
        closeQuietly(listener);
        listenerClosed = true;
        if (slot >= 0 && !acceptInFlight && loop.uring() != null) {
            releaseSlot();
        }
        completeIfDrained();
        if (address instanceof UnixDomainSocketAddress unix) {
            try {
                Files.deleteIfExists(unix.getPath());
            } catch (IOException e) {
                warn("cannot remove the socket file " + unix.getPath(), e);
            }
        }
    }

    private void warn(String what, Exception e) {
        long now = System.nanoTime();
        if (now - nextWarning >= 0) {
            nextWarning = now + WARNING_INTERVAL_NANOS;
            LOG.log(System.Logger.Level.WARNING, this + ": " + what + ": " + e.getMessage(), null);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // the descriptor is released either way
        }
    }
}
