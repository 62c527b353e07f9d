package io.selectors4j.loop;

import io.selectors4j.Selectable;
import io.selectors4j.loop.tls.TlsLayer;
import io.selectors4j.selectors.Backend;
import io.selectors4j.selectors.ReadyKeyConsumer;
import io.selectors4j.selectors.Selector;
import io.selectors4j.selectors.SelectorKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * An event loop over one {@link Selector}: asyncio's loop for Java. It runs callbacks, timers, readiness
 * callbacks on any descriptor, stream servers and connections ({@link Protocol}/{@link Transport}) and
 * datagram endpoints, all on the one thread that calls {@link #run()}.
 *
 * <p><b>Threads.</b> {@link #callSoon}, {@link #callLater}, {@link #callAt}, {@link #stop()},
 * {@link #listen}, {@link #connect} and {@link #openDatagram} may be called from any thread: work for
 * the loop is handed over in order and the loop is woken only if it sleeps. The descriptor watches
 * ({@link #addReader} and friends) belong to the loop thread, or to the thread setting the loop up
 * before {@link #run()}; from another thread while the loop runs they throw
 * {@link IllegalStateException}. Work handed to a loop that is closed is refused with
 * {@link RejectedExecutionException}, never kept.
 *
 * <p><b>Failures.</b> An exception thrown by any callback goes to the {@link CallbackErrorHandler}
 * (by default a {@link System.Logger} entry naming the callback and its connection) and the loop goes
 * on serving.
 */
public final class EventLoop implements AutoCloseable {
    private static final LoopLog LOG = new LoopLog(EventLoop.class);
    private static final CallbackErrorHandler LOG_FAILURE =
            (origin, error) -> LOG.log(System.Logger.Level.ERROR, "callback failed: " + origin, error);

    private final Selector selector;
    private final TimerQueue timers = new TimerQueue();
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Runnable> incoming = new ConcurrentLinkedQueue<>();
    private final Set<LoopResource> resources = new LinkedHashSet<>();
    private final ReadyKeyConsumer dispatch = this::dispatch;
    private final LoopBuffers buffers = new LoopBuffers();
    private final SpareDescriptor spare = new SpareDescriptor();
    private volatile CallbackErrorHandler errorHandler = LOG_FAILURE;
    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile boolean closeAfterRun;
    /** Set under the lock when a close begins: {@link #run()} then refuses to start. */
    private boolean closeStarted;
    /** Set once a close has run what was handed over: later hand-overs are refused. */
    private volatile boolean refusing;
    private volatile boolean closed;

    private EventLoop(Selector selector) {
        this.selector = selector;
        selector.setDeadKeyListener(this::deadKey);
    }

    /** A loop on the best selector this machine offers (epoll, then poll, then select). */
    public static EventLoop open() throws IOException {
        return new EventLoop(Selector.open());
    }

    /** A loop on the given selector backend. */
    public static EventLoop open(Backend backend) throws IOException {
        return new EventLoop(Selector.open(backend));
    }

    /** The selector backend this loop waits with. */
    public Backend backend() {
        return selector.backend();
    }

    /**
     * Runs the loop on the calling thread until {@link #stop()}: asyncio's {@code run_forever}. A
     * {@code stop()} made before {@code run()} makes it run one iteration and return.
     *
     * @throws IllegalStateException the loop is already running or is closed
     * @throws UncheckedIOException  the selector itself failed (callbacks' failures never end the loop)
     */
    public void run() {
        synchronized (this) {
            if (closeStarted) {
                throw new IllegalStateException("the event loop is closed");
            }
            Thread running = thread;
            if (running != null) {
                throw new IllegalStateException("the event loop is already running on " + running.getName());
            }
            thread = Thread.currentThread();
        }
        try {
            do {
                runOnce();
            } while (!stopping);
        } finally {
            stopping = false;
            synchronized (this) {
                thread = null;
            }
            if (closeAfterRun) {
                close();
            }
        }
    }

    /** Makes {@link #run()} return after the iteration in progress; any thread. */
    public void stop() {
        stopping = true;
        selector.wakeup();
    }

    /** Whether the caller is the thread running this loop. */
    public boolean inLoop() {
        return thread == Thread.currentThread();
    }

    /** Whether {@link #run()} is in progress. */
    public boolean isRunning() {
        return thread != null;
    }

    /** Whether {@link #close()} has completed. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the loop: servers stop listening, connections are aborted (their protocols told), datagram
     * endpoints closed and descriptor watches removed (the descriptors themselves stay open). Callbacks
     * already handed to the loop run first, then the protocols' {@code connectionLost}; timers are
     * dropped, and anything handed over after the close is refused. Called on the loop thread, the loop
     * closes once the current iteration ends. Idempotent.
     *
     * @throws IllegalStateException the loop is running on another thread (stop it first)
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closeStarted) {
                return;
            }
            if (isRunning()) {
                if (!inLoop()) {
                    throw new IllegalStateException("stop the event loop before closing it from another thread");
                }
                closeAfterRun = true;
                stop();
                return;
            }
            closeStarted = true;
        }
        takeIncoming();
        runReady(); // what was handed over before the close, such as a listener to register
        for (LoopResource resource : new ArrayList<>(resources)) {
            try {
                resource.closeNow();
            } catch (RuntimeException e) {
                callbackFailed("closing " + resource, e);
            }
        }
        resources.clear();
        refusing = true; // from here on a hand-over is refused; one that raced this line is run or refused
        takeIncoming();
        runReady(); // the connectionLost calls the closes queued
        ready.clear();
        timers.clear();
        selector.close();
        buffers.close();
        spare.close();
        closed = true;
    }

    /** The loop's clock in nanoseconds: {@link System#nanoTime()}, asyncio's {@code loop.time()}. */
    public long time() {
        return System.nanoTime();
    }

    /** Where failures of callbacks go; by default they are logged at ERROR. */
    public void setCallbackErrorHandler(CallbackErrorHandler handler) {
        errorHandler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Runs {@code task} on the loop thread soon, after the callbacks already queued; any thread.
     *
     * @throws RejectedExecutionException the loop is closed: the task will never run
     */
    public void callSoon(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (inLoop()) {
            ready.add(task);
        } else if (!handOver(task)) {
            throw new RejectedExecutionException("the event loop is closed");
        }
    }

    /**
     * Runs {@code task} on the loop thread once {@code delay} has passed (never earlier); any thread.
     *
     * @throws RejectedExecutionException the loop is closed
     */
    public TimerHandle callLater(Duration delay, Runnable task) {
        long nanos;
        try {
            nanos = Math.max(0, delay.toNanos());
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE / 2;
        }
        return callAt(time() + nanos, task);
    }

    /**
     * Runs {@code task} on the loop thread once {@link #time()} has reached {@code deadlineNanos} (never
     * earlier). Timers due at once run in deadline order, ties in the order they were scheduled.
     *
     * @throws RejectedExecutionException the loop is closed
     */
    public TimerHandle callAt(long deadlineNanos, Runnable task) {
        Objects.requireNonNull(task, "task");
        if (refusing) {
            throw new RejectedExecutionException("the event loop is closed");
        }
        boolean here = inLoop();
        ScheduledTask timer = timers.schedule(deadlineNanos, task, here);
        if (!here) {
            if (refusing) { // the close may have dropped its timers before this one arrived
                timer.cancel();
                throw new RejectedExecutionException("the event loop is closed");
            }
            selector.wakeup();
        }
        return timer;
    }

    /**
     * Calls {@code callback} on the loop thread whenever {@code fd} is readable, replacing an earlier
     * reader of the same descriptor: asyncio's {@code add_reader}, for pipes, stdin, foreign descriptors
     * ({@code Fd.of}) or sockets the program handles itself.
     *
     * @throws IllegalStateException the descriptor is used by one of this loop's transports or servers,
     *                               or the caller is not the loop thread while the loop runs
     * @throws IOException           the selector refused the descriptor
     */
    public void addReader(Selectable fd, Runnable callback) throws IOException {
        watch(fd, Objects.requireNonNull(callback, "callback"), true);
    }

    /** Stops watching {@code fd} for reading; returns whether a reader was registered. */
    public boolean removeReader(Selectable fd) {
        return unwatch(fd, true);
    }

    /** Like {@link #addReader} for writability: asyncio's {@code add_writer}. */
    public void addWriter(Selectable fd, Runnable callback) throws IOException {
        watch(fd, Objects.requireNonNull(callback, "callback"), false);
    }

    /** Stops watching {@code fd} for writing; returns whether a writer was registered. */
    public boolean removeWriter(Selectable fd) {
        return unwatch(fd, false);
    }

    /** {@link #listen(SocketAddress, Supplier, ServerOptions)} with {@link ServerOptions#defaults()}. */
    public Server listen(SocketAddress address, Supplier<? extends Protocol> factory) throws IOException {
        return listen(address, factory, ServerOptions.defaults());
    }

    /**
     * Binds and listens on {@code address} at once on the caller's thread, so errors such as EADDRINUSE
     * are thrown here, then accepts on the loop, calling {@code factory} for each connection's protocol.
     * {@code address} is an {@link java.net.InetSocketAddress} (TCP over IPv4 or IPv6) or a
     * {@link java.net.UnixDomainSocketAddress}.
     */
    public Server listen(SocketAddress address, Supplier<? extends Protocol> factory, ServerOptions options)
            throws IOException {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(options, "options");
        checkOpen();
        return StreamServer.open(this, address, factory, options, () -> this,
                new ConnectionLimit(options.maxConnections()));
    }

    /**
     * {@link #listen(SocketAddress, Supplier, ServerOptions)} speaking TLS: each connection's handshake
     * runs first, then {@code factory}'s protocol is made and connected with a {@link TlsTransport}
     * (see {@link TlsSettings}).
     *
     * @throws IllegalArgumentException client settings, or settings the context cannot meet
     */
    public Server listen(SocketAddress address, Supplier<? extends Protocol> factory, ServerOptions options,
            TlsSettings tls) throws IOException {
        return listen(address, TlsLayer.server(tls, factory, TlsAccess.INSTANCE), options);
    }

    /**
     * Connects to {@code address} without blocking and makes a transport with a protocol from
     * {@code factory}. The future completes with the transport once {@code connectionMade} has run, or
     * exceptionally with a {@link io.selectors4j.NativeIOException}: ECONNREFUSED, ENETUNREACH...,
     * ETIMEDOUT when {@code timeout} passes first ({@code null}: no timeout). Cancelling the future
     * abandons the attempt.
     */
    public CompletableFuture<Transport> connect(SocketAddress address, Supplier<? extends Protocol> factory,
            Duration timeout) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(factory, "factory");
        checkOpen();
        CompletableFuture<Transport> result = new CompletableFuture<>();
        if (!execute(() -> Connector.start(this, address, factory, timeout, result))) {
            throw new IllegalStateException("the event loop is closed");
        }
        return result;
    }

    /**
     * {@link #connect(SocketAddress, Supplier, Duration)} speaking TLS: the future completes once the
     * handshake has completed and {@code factory}'s protocol has been connected, or fails with the
     * connect's error or an {@link javax.net.ssl.SSLHandshakeException} saying
     * {@code handshake failed: ...} (the protocol is then never made). {@code timeout} bounds the TCP
     * connect; the handshake has its own ({@link TlsSettings#handshakeTimeout()}).
     *
     * @throws IllegalArgumentException server settings, or settings the context cannot meet (no server
     *                                  name for hostname verification)
     */
    public CompletableFuture<TlsTransport> connect(SocketAddress address, Supplier<? extends Protocol> factory,
            Duration timeout, TlsSettings tls) {
        Objects.requireNonNull(address, "address");
        CompletableFuture<TlsTransport> secured = new CompletableFuture<>();
        Protocol layer = TlsLayer.client(tls, address, factory, TlsAccess.INSTANCE, secured);
        CompletableFuture<Transport> plain = connect(address, () -> layer, timeout);
        plain.whenComplete((transport, error) -> {
            if (error != null) {
                secured.completeExceptionally(error);
            }
        });
        secured.whenComplete((transport, error) -> {
            if (secured.isCancelled()) {
                plain.cancel(false);
            }
        });
        return secured;
    }

    /**
     * Opens a UDP endpoint bound to {@code local} (an {@link java.net.InetSocketAddress}; port 0 picks
     * one) on the caller's thread; datagrams are received on the loop.
     */
    public DatagramTransport openDatagram(SocketAddress local, Supplier<? extends DatagramProtocol> factory)
            throws IOException {
        Objects.requireNonNull(factory, "factory");
        checkOpen();
        return DatagramEndpoint.open(this, local, null, factory);
    }

    /**
     * Opens a UDP endpoint bound to {@code local} and connected to {@code remote} (asyncio's
     * {@code remote_addr}): only {@code remote}'s datagrams are received, {@code sendTo} with a {@code null}
     * target sends to it, and an ICMP port-unreachable answer to an earlier datagram comes back as ECONNREFUSED
     * through {@link DatagramProtocol#errorReceived} (Linux reports it on connected sockets only).
     */
    public DatagramTransport openDatagram(SocketAddress local, SocketAddress remote,
            Supplier<? extends DatagramProtocol> factory) throws IOException {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(factory, "factory");
        checkOpen();
        return DatagramEndpoint.open(this, local, remote, factory);
    }

    // ---- for the loop's own classes ----

    Selector selector() {
        return selector;
    }

    LoopBuffers buffers() {
        return buffers;
    }

    /** Reports a failed callback to the handler; a failing handler is logged and otherwise ignored. */
    void callbackFailed(String origin, Throwable error) {
        try {
            errorHandler.callbackFailed(origin, error);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "the callback error handler failed on " + origin + " (" + error + ")", e);
        }
    }

    /** Loop thread: something to release when the loop closes. */
    void track(LoopResource resource) {
        resources.add(resource);
    }

    /** Loop thread: something that released itself. */
    void untrack(LoopResource resource) {
        resources.remove(resource);
    }

    /** The descriptor held in reserve for servers out of descriptors. */
    SpareDescriptor spareDescriptor() {
        return spare;
    }

    /**
     * Runs {@code task} now when on the loop thread, else hands it to the loop (which runs what was
     * handed over as soon as {@link #run()} starts). Returns false, the task dropped, if the loop is
     * closed.
     */
    boolean execute(Runnable task) {
        if (inLoop()) {
            task.run();
            return true;
        }
        return handOver(task);
    }

    // ---- the loop ----

    private void runOnce() {
        takeIncoming();
        long timeout;
        if (!ready.isEmpty() || stopping) {
            timeout = 0;
        } else {
            long next = timers.nextDeadline();
            timeout = next == Long.MAX_VALUE ? -1 : Math.max(0, next - time());
        }
        try {
            selector.select(timeout, dispatch);
        } catch (IOException e) {
            throw new UncheckedIOException("the event loop's selector failed", e);
        }
        takeIncoming();
        runDueTimers();
        runReady();
    }

    /**
     * Queues {@code task} for the loop thread and wakes the loop; false if the loop is closed. A task
     * that raced the close is either run by it or taken back here, never kept.
     */
    private boolean handOver(Runnable task) {
        if (refusing) {
            return false;
        }
        incoming.add(task);
        if (refusing && incoming.remove(task)) {
            return false;
        }
        selector.wakeup();
        return true;
    }

    private void takeIncoming() {
        Runnable task;
        while ((task = incoming.poll()) != null) {
            ready.add(task);
        }
        if (timers.hasIncoming()) {
            timers.takeIncoming();
        }
    }

    private void runDueTimers() {
        if (timers.heapSize() == 0) {
            return; // no clock read for a loop without timers
        }
        long now = time();
        ScheduledTask timer;
        while ((timer = timers.pollDue(now)) != null) {
            try {
                timer.task.run();
            } catch (RuntimeException | Error e) {
                callbackFailed("timer " + timer.task, e);
            }
        }
    }

    /** Runs the callbacks queued so far; those they queue run in the next iteration. */
    private void runReady() {
        for (int n = ready.size(); n > 0; n--) {
            Runnable task = ready.poll();
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                callbackFailed("callSoon task " + task, e);
            }
        }
    }

    private void dispatch(SelectorKey key, int events) {
        Handler handler = (Handler) key.data();
        try {
            handler.ready(events);
        } catch (RuntimeException | Error e) {
            callbackFailed("readiness of " + handler, e);
        }
    }

    private void deadKey(SelectorKey key, int errno) {
        if (key.data() instanceof Handler handler) {
            handler.descriptorLost(errno);
        }
    }

    // ---- descriptor watches ----

    private void watch(Selectable fd, Runnable callback, boolean reading) throws IOException {
        checkOwner();
        FdWatch watch = existingWatch(fd);
        if (watch != null && watch.fd() != fd && registerReplacing(fd, callback, reading)) {
            return;
        }
        if (watch == null) {
            watch = new FdWatch(this, fd);
            set(watch, callback, reading);
            selector.register(fd, watch.events(), watch);
        } else {
            set(watch, callback, reading);
            selector.modify(fd, watch.events(), watch);
        }
    }

    /**
     * {@code fd} is another object than the watched one with its number: registers a new watch, which
     * succeeds when the old one's descriptor was closed and the number reused (the selector evicts the
     * dead key and reports it); false when both objects name the same open file, which share a watch.
     */
    private boolean registerReplacing(Selectable fd, Runnable callback, boolean reading) throws IOException {
        FdWatch fresh = new FdWatch(this, fd);
        set(fresh, callback, reading);
        try {
            selector.register(fd, fresh.events(), fresh);
            return true;
        } catch (IllegalStateException sameFile) {
            return false;
        }
    }

    private boolean unwatch(Selectable fd, boolean reading) {
        checkOwner();
        FdWatch watch = existingWatch(fd);
        if (watch == null || (reading ? watch.reader() : watch.writer()) == null) {
            return false;
        }
        set(watch, null, reading);
        if (watch.events() == 0) {
            selector.unregister(watch.fd());
        } else {
            try {
                selector.modify(watch.fd(), watch.events(), watch);
            } catch (IOException e) {
                callbackFailed("removing a callback of " + watch + " (the selector dropped it)", e);
            }
        }
        return true;
    }

    private static void set(FdWatch watch, Runnable callback, boolean reading) {
        if (reading) {
            watch.setReader(callback);
        } else {
            watch.setWriter(callback);
        }
    }

    private FdWatch existingWatch(Selectable fd) {
        Objects.requireNonNull(fd, "fd");
        SelectorKey key = fd.fileno() < 0 ? null : selector.getMap().get(fd.fileno());
        if (key == null) {
            return null;
        }
        if (key.data() instanceof FdWatch watch) {
            return watch;
        }
        throw new IllegalStateException(fd + " is used by " + key.data() + " on this loop");
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the event loop is closed");
        }
    }

    private void checkOwner() {
        checkOpen();
        if (isRunning() && !inLoop()) {
            throw new IllegalStateException("descriptor watches are changed on the loop thread (use callSoon)");
        }
    }

    /** For tests: the timers held in the heap, live or cancelled. */
    int timerHeapSize() {
        return timers.heapSize();
    }
}
