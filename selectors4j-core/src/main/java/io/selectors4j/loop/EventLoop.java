package io.selectors4j.loop;

import io.selectors4j.Selectable;
import io.selectors4j.loop.tls.TlsLayer;
import io.selectors4j.loop.uring.UringEngine;
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
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * An event loop over one {@link Selector}, or over an io_uring ring ({@link LoopBackend#IO_URING}):
 * asyncio's loop for Java. It runs callbacks, timers, readiness callbacks on any descriptor, stream
 * servers and connections ({@link Protocol}/{@link Transport}) and datagram endpoints, all on the one
 * thread that calls {@link #run()}. Both backends keep every rule below.
 *
 * <p><b>Threads.</b> {@link #callSoon}, {@link #callLater}, {@link #callAt}, {@link #stop()},
 * {@link #listen}, {@link #connect} and {@link #openDatagram} may be called from any thread: work for
 * the loop is handed over in order, through one queue, and the loop is woken only if it sleeps. The
 * descriptor watches ({@link #addReader} and friends) belong to the loop thread, or to the thread
 * setting the loop up before {@link #run()}; from another thread while the loop runs they throw
 * {@link IllegalStateException}.
 *
 * <p><b>Closing.</b> {@link #close()} first refuses new work, then runs the callbacks handed over
 * before it (so that a {@code write} then {@code close} made on another thread still take effect in
 * order), then releases every resource started on the loop: listeners closed, connections aborted,
 * connects in progress failed, datagram endpoints closed; the protocols' {@code connectionLost} run
 * last. When it returns, nothing started on the loop is open and every future it returned is
 * complete; timers still pending are dropped. {@link #terminationFuture()} completes then.
 *
 * <p><b>Refusal.</b> From the moment {@code close()} begins, on every thread, the callbacks that the
 * close runs included:
 * <table class="striped">
 * <caption>What each method does on a closed or closing loop</caption>
 * <tr><th>method</th><th>on a closed loop</th></tr>
 * <tr><td>{@code callSoon}, {@code callLater}, {@code callAt}</td>
 *     <td>throws {@link RejectedExecutionException}: the task never runs</td></tr>
 * <tr><td>{@code listen}, {@code connect}, {@code openDatagram}</td>
 *     <td>throws {@link RejectedExecutionException}, nothing opened; a listener, connect or endpoint
 *     accepted just before and not started yet is closed by the close (a connect's future fails with
 *     {@link RejectedExecutionException})</td></tr>
 * <tr><td>{@code addReader}, {@code addWriter}</td><td>throws {@link RejectedExecutionException}</td></tr>
 * <tr><td>{@code removeReader}, {@code removeWriter}</td><td>returns {@code false} (asyncio's rule)</td></tr>
 * <tr><td>{@code stop}, {@code close}</td><td>nothing</td></tr>
 * <tr><td>{@code run}</td><td>throws {@link IllegalStateException} (a misuse, not work)</td></tr>
 * </table>
 * Transports and servers of a closed loop are closed; their methods follow {@link Transport},
 * {@link DatagramTransport} and {@link Server}: writes and sends are dropped, closes do nothing.
 *
 * <p><b>Failures.</b> An exception thrown by any callback goes to the {@link CallbackErrorHandler}
 * (by default a {@link System.Logger} entry naming the callback and its connection) and the loop goes
 * on serving. Only a failure of the selector itself ends {@link #run()}, which throws it; the loop
 * must then be closed, and its {@link #terminationFuture()} completes exceptionally with that failure.
 */
public final class EventLoop implements AutoCloseable {
    private static final LoopLog LOG = new LoopLog(EventLoop.class);
    private static final CallbackErrorHandler LOG_FAILURE =
            (origin, error) -> LOG.log(System.Logger.Level.ERROR, "callback failed: " + origin, error);

    /** A readiness loop's selector; null for an io_uring loop. */
    private final Selector selector;
    /** Where watches, connects in progress and datagram endpoints wait: the selector, or polls in the ring. */
    private final Readiness readiness;
    /** The io_uring loop's ring; null for a readiness loop. */
    private final UringEngine uring;
    private final TimerQueue timers = new TimerQueue();
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Runnable> incoming = new ConcurrentLinkedQueue<>();
    private final Set<LoopResource> resources = new LinkedHashSet<>();
    private final ReadyKeyConsumer dispatch = this::dispatch;
    private final LoopBuffers buffers = new LoopBuffers();
    private final BulkTurns bulkTurns = new BulkTurns();
    private final SpareDescriptor spare = new SpareDescriptor();
    /** io_uring loop: the descriptors its connections use, which a watch may not take. */
    private final BitSet completionFds = new BitSet();
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private volatile CallbackErrorHandler errorHandler = LOG_FAILURE;
    /** The thread that owns the loop now: the one in {@link #run()}, or the one closing it. */
    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean stopping;
    private volatile boolean closeAfterRun;
    /** Set under the lock when a close begins: {@link #run()} then refuses to start. */
    private boolean closeStarted;
    /** Set as a close begins: every hand-over and every new resource is refused from then on. */
    private volatile boolean refusing;
    private volatile boolean closed;
    /** What ended {@link #run()} when the selector failed. */
    private volatile Throwable failure;
    /** The clock read once per iteration for the transports' progress marks, see {@link #cachedTime()}. */
    private long cachedTime;
    private boolean cachedTimeStale = true;

    private EventLoop(Selector selector) {
        this.selector = selector;
        this.uring = null;
        this.readiness = new SelectorReadiness(selector);
        selector.setDeadKeyListener(this::deadKey);
    }

    /**
     * An io_uring loop: the ring waits, and what is driven by readiness (descriptor watches, connects
     * in progress, datagram endpoints) waits in polls of the ring.
     */
    private EventLoop(UringEngine uring) {
        this.selector = null;
        this.uring = uring;
        this.readiness = new UringReadiness(this, uring);
    }

    /** A loop on the best selector this machine offers (epoll, then poll, then select). */
    public static EventLoop open() throws IOException {
        return new EventLoop(Selector.open());
    }

    /** A loop on the given selector backend. */
    public static EventLoop open(Backend backend) throws IOException {
        return new EventLoop(Selector.open(backend));
    }

    /**
     * A loop on the given backend.
     *
     * @throws IOException the backend cannot be opened here; for {@link LoopBackend#IO_URING}, the
     *                     message says in one line why (missing, forbidden, too old a kernel)
     */
    public static EventLoop open(LoopBackend backend) throws IOException {
        if (backend == LoopBackend.IO_URING) {
            return new EventLoop(UringEngine.open());
        }
        return open(backend.selectorBackend().orElseThrow());
    }

    /**
     * The selector backend this loop waits with.
     *
     * @throws UnsupportedOperationException an {@link LoopBackend#IO_URING} loop, which waits with no
     *                                       selector ({@link #loopBackend()} says what every loop waits with)
     */
    public Backend backend() {
        if (selector == null) {
            throw new UnsupportedOperationException("an io_uring event loop waits with no selector: see loopBackend()");
        }
        return selector.backend();
    }

    /** What this loop waits with: a readiness selector, or io_uring. */
    public LoopBackend loopBackend() {
        return selector == null ? LoopBackend.IO_URING : LoopBackend.of(selector.backend());
    }

    /**
     * Runs the loop on the calling thread until {@link #stop()}: asyncio's {@code run_forever}. A
     * {@code stop()} made before {@code run()} makes it run one iteration and return.
     *
     * @throws IllegalStateException the loop is already running or is closed; or, on io_uring, it
     *                               ran on another thread before (a ring has one issuer for its life)
     * @throws UncheckedIOException  the selector or the ring itself failed (callbacks' failures never
     *                               end the loop)
     */
    public void run() {
        synchronized (this) {
            if (closeStarted) {
                throw new IllegalStateException("the event loop is closed");
            }
            Thread owner = thread;
            if (owner != null) {
                throw new IllegalStateException("the event loop is already running on " + owner.getName());
            }
            if (uring != null) {
                uring.checkIssuer(); // a refusal, not a failure of the loop
            }
            thread = Thread.currentThread();
            running = true;
            failure = null;
        }
        try {
            startRing();
            do {
                runOnce();
            } while (!stopping);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            stopping = false;
            running = false;
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
        wakeup();
    }

    /** Whether the caller is the thread running this loop (or closing it). */
    public boolean inLoop() {
        return thread == Thread.currentThread();
    }

    /** Whether {@link #run()} is in progress. */
    public boolean isRunning() {
        return running;
    }

    /** Whether {@link #close()} has completed. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Completes when {@link #close()} has completed: normally, or exceptionally with the selector
     * failure that ended {@link #run()} before. A {@link LoopGroup} watches its loops through it.
     */
    public CompletableFuture<Void> terminationFuture() {
        return termination;
    }

    /**
     * Closes the loop as the class documentation says: refuses new work, runs the callbacks handed
     * over before, releases every resource started on the loop (servers stop listening, connections
     * are aborted and their protocols told, connects in progress fail, datagram endpoints close;
     * descriptor watches are removed, the descriptors themselves stay open) and drops the timers.
     * Called on the loop thread, the loop closes once the current iteration ends. Idempotent.
     *
     * @throws IllegalStateException the loop is running on another thread (stop it first)
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closeStarted) {
                return;
            }
            if (running) {
                if (!inLoop()) {
                    throw new IllegalStateException("stop the event loop before closing it from another thread");
                }
                closeAfterRun = true;
                stop();
                return;
            }
            closeStarted = true;
            refusing = true;
            thread = Thread.currentThread(); // the closing thread acts as the loop thread
        }
        try {
            takeIncoming();
            runReady(); // what was handed over before the close: writes, closes, a listener to start
            releaseResources();
            takeIncoming(); // hand-overs that raced the refusal
            while (!ready.isEmpty()) {
                runReady(); // the protocols' connectionLost
            }
        } finally {
            ready.clear();
            timers.clear();
            bulkTurns.clear();
            readiness.close();
            if (uring != null) {
                uring.close();
            }
            buffers.close();
            spare.close();
            closed = true;
            synchronized (this) {
                thread = null;
            }
            Throwable failed = failure;
            if (failed == null) {
                termination.complete(null);
            } else {
                termination.completeExceptionally(failed);
            }
        }
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
        if (refusing) {
            throw closedError();
        }
        if (inLoop()) {
            ready.add(task);
        } else if (!handOver(task)) {
            throw closedError();
        }
    }

    /**
     * Runs {@code task} on the loop thread once {@code delay} has passed (never earlier); any thread. A
     * negative delay counts as zero; a delay too long for the clock ({@code Duration.ofNanos(Long.MAX_VALUE)}
     * and beyond) means never, and delays no other timer.
     *
     * @throws RejectedExecutionException the loop is closed
     */
    public TimerHandle callLater(Duration delay, Runnable task) {
        return callAt(TimerQueue.deadlineAfter(time(), delayNanos(delay)), task);
    }

    /**
     * Runs {@code task} on the loop thread once {@link #time()} has reached {@code deadlineNanos} (never
     * earlier); a deadline already past runs at the next iteration, {@code Long.MAX_VALUE} never. Timers
     * due at once run in deadline order, ties in the order they reached the loop (for timers made on one
     * thread, the order they were made in). A timer made by a timer's task runs at a later iteration
     * even when it is already due, so a timer re-arming itself cannot starve I/O.
     *
     * @throws RejectedExecutionException the loop is closed
     */
    public TimerHandle callAt(long deadlineNanos, Runnable task) {
        Objects.requireNonNull(task, "task");
        if (refusing) {
            throw closedError();
        }
        if (inLoop()) {
            return schedule(deadlineNanos, task);
        }
        ScheduledTask timer = timers.newTimer(deadlineNanos, task);
        if (!handOver(() -> timers.add(timer))) {
            throw closedError();
        }
        return timer;
    }

    /**
     * Calls {@code callback} on the loop thread whenever {@code fd} is readable, replacing an earlier
     * reader of the same descriptor: asyncio's {@code add_reader}, for pipes, stdin, foreign descriptors
     * ({@code Fd.of}) or sockets the program handles itself. Remove the watch before closing the
     * descriptor: a callback of a watch removed (or whose object was closed) earlier in the same
     * dispatch does not run.
     *
     * @throws IllegalStateException      the descriptor is used by one of this loop's transports or
     *                                    servers, or the caller is not the loop thread while the loop runs
     * @throws RejectedExecutionException the loop is closed
     * @throws IOException                the selector refused the descriptor
     */
    public void addReader(Selectable fd, Runnable callback) throws IOException {
        watch(fd, Objects.requireNonNull(callback, "callback"), true);
    }

    /** Stops watching {@code fd} for reading; returns whether a reader was registered (false once closed). */
    public boolean removeReader(Selectable fd) {
        return unwatch(fd, true);
    }

    /** Like {@link #addReader} for writability: asyncio's {@code add_writer}. */
    public void addWriter(Selectable fd, Runnable callback) throws IOException {
        watch(fd, Objects.requireNonNull(callback, "callback"), false);
    }

    /** Stops watching {@code fd} for writing; returns whether a writer was registered (false once closed). */
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
     *
     * @throws RejectedExecutionException the loop is closed (nothing stays bound)
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
     * ETIMEDOUT when {@code timeout} passes first ({@code null}: no timeout), or with a
     * {@link RejectedExecutionException} when the loop closes first. Cancelling the future abandons the
     * attempt.
     *
     * @throws RejectedExecutionException the loop is closed
     */
    public CompletableFuture<Transport> connect(SocketAddress address, Supplier<? extends Protocol> factory,
            Duration timeout) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(factory, "factory");
        checkOpen();
        CompletableFuture<Transport> result = new CompletableFuture<>();
        if (!execute(() -> Connector.start(this, address, factory, timeout, result))) {
            throw closedError();
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
     *
     * @throws RejectedExecutionException the loop is closed (nothing stays bound)
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
     *
     * @throws RejectedExecutionException the loop is closed (nothing stays bound)
     */
    public DatagramTransport openDatagram(SocketAddress local, SocketAddress remote,
            Supplier<? extends DatagramProtocol> factory) throws IOException {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(factory, "factory");
        checkOpen();
        return DatagramEndpoint.open(this, local, remote, factory);
    }

    // ---- for the loop's own classes ----

    /** A readiness loop's selector, where its listeners and connections register; null on io_uring. */
    Selector selector() {
        return selector;
    }

    /** Where watches, connects in progress and datagram endpoints wait, on either backend. */
    Readiness readiness() {
        return readiness;
    }

    /** Loop thread: {@code handler}'s descriptor is ready for {@code events}; a failure goes to the handler of failures. */
    void ready(Handler handler, int events) {
        try {
            handler.ready(events);
        } catch (RuntimeException | Error e) {
            callbackFailed("readiness of " + handler, e);
        }
    }

    /** The io_uring loop's ring, or null for a readiness loop. */
    UringEngine uring() {
        return uring;
    }

    LoopBuffers buffers() {
        return buffers;
    }

    /** Where bulk connections wait for their turn to move bytes. */
    BulkTurns bulkTurns() {
        return bulkTurns;
    }

    /** Reports a failed callback to the handler; a failing handler is logged and otherwise ignored. */
    void callbackFailed(String origin, Throwable error) {
        try {
            errorHandler.callbackFailed(origin, error);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "the callback error handler failed on " + origin + " (" + error + ")", e);
        }
    }

    /**
     * Loop thread: something to release when the loop closes. Every resource is tracked before it
     * starts (registers, connects, calls a protocol), so this is where a closing loop refuses it.
     *
     * @throws RejectedExecutionException the loop is closing: the caller releases what it holds
     */
    void track(LoopResource resource) {
        if (refusing) {
            throw closedError();
        }
        resources.add(resource);
    }

    /** Loop thread: something that released itself. */
    void untrack(LoopResource resource) {
        resources.remove(resource);
    }

    /** Whether a close has begun: the loop will not wait again, so nothing may wait for a completion. */
    boolean isRefusing() {
        return refusing;
    }

    /** Loop thread: {@code fd} is used by one of the loop's io_uring connections until {@link #releaseFd}. */
    void claimFd(int fd) {
        completionFds.set(fd);
    }

    /** Loop thread: the io_uring connection using {@code fd} is about to close it. */
    void releaseFd(int fd) {
        completionFds.clear(fd);
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

    /** Loop thread: queues one of the loop's own callbacks (a {@code connectionLost}), even while closing. */
    void soon(Runnable task) {
        ready.add(task);
    }

    /** Loop thread: one of the loop's own timers (timeouts, back-off), never refused. */
    ScheduledTask schedule(long deadlineNanos, Runnable task) {
        ScheduledTask timer = timers.newTimer(deadlineNanos, task);
        timers.add(timer);
        return timer;
    }

    /** Loop thread: {@link #schedule} after {@code delay}. */
    ScheduledTask scheduleAfter(Duration delay, Runnable task) {
        return schedule(TimerQueue.deadlineAfter(time(), delayNanos(delay)), task);
    }

    /**
     * Loop thread: {@link #time()} read at most once per iteration, at the first call after the wait,
     * for marks that need no more precision than an iteration (a connection's last progress): a busy
     * loop pays one clock read per iteration for them, not one per message.
     */
    long cachedTime() {
        if (cachedTimeStale) {
            cachedTime = time();
            cachedTimeStale = false;
        }
        return cachedTime;
    }

    /** A delay in nanoseconds: negative counts as zero, too long for a {@code long} as forever. */
    static long delayNanos(Duration delay) {
        if (delay.isNegative()) {
            return 0;
        }
        try {
            return delay.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    static RejectedExecutionException closedError() {
        return new RejectedExecutionException("the event loop is closed");
    }

    // ---- the loop ----

    /**
     * One iteration, asyncio's {@code _run_once}: take what other threads handed over; wait for I/O
     * (not at all when callbacks are queued, until the next timer otherwise) and handle it as it is
     * reported; queue the timers now due behind the callbacks; run what is queued.
     */
    private void runOnce() {
        takeIncoming();
        long timeout = ready.isEmpty() && bulkTurns.isEmpty() && !stopping ? timerWait() : 0;
        waitAndDispatch(timeout);
        bulkTurns.run();
        takeIncoming();
        queueDueTimers();
        runReady();
    }

    /** How long the wait may last for the timers: forever without any, and the clock read only with some. */
    private long timerWait() {
        return timers.isEmpty() ? -1 : timers.waitNanos(time());
    }

    private void waitAndDispatch(long timeoutNanos) {
        cachedTimeStale = true; // the first progress mark after the wait reads the clock
        try {
            if (uring != null) {
                uring.waitAndReap(timeoutNanos);
            } else {
                selector.select(timeoutNanos, dispatch);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the event loop's " + (uring != null ? "ring" : "selector") + " failed", e);
        }
    }

    /** io_uring loop: the running thread becomes the ring's one issuer. */
    private void startRing() {
        if (uring != null) {
            try {
                uring.start();
            } catch (IOException e) {
                throw new UncheckedIOException("the event loop's ring cannot start", e);
            }
        }
    }

    /** Wakes the loop if it sleeps; any thread. */
    private void wakeup() {
        if (uring != null) {
            uring.wakeup();
        } else {
            selector.wakeup();
        }
    }

    private void queueDueTimers() {
        if (timers.isEmpty()) {
            return; // no clock read for a loop without timers
        }
        long now = time();
        cachedTime = now;
        cachedTimeStale = false;
        timers.moveDue(now, ready);
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
        wakeup();
        return true;
    }

    private void takeIncoming() {
        Runnable task;
        while ((task = incoming.poll()) != null) {
            ready.add(task);
        }
    }

    /** Runs the callbacks and due timers queued so far; those they queue run in the next iteration. */
    private void runReady() {
        for (int n = ready.size(); n > 0; n--) {
            Runnable task = ready.poll();
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                callbackFailed(task instanceof ScheduledTask ? task.toString() : "callSoon task " + task, e);
            }
        }
    }

    private void releaseResources() {
        for (LoopResource resource : new ArrayList<>(resources)) {
            try {
                resource.closeNow();
            } catch (RuntimeException e) {
                callbackFailed("closing " + resource, e);
            }
        }
        resources.clear();
    }

    private void dispatch(SelectorKey key, int events) {
        ready((Handler) key.data(), events);
    }

    private void deadKey(SelectorKey key, int errno) {
        if (key.data() instanceof Handler handler) {
            handler.descriptorLost(errno);
        }
    }

    // ---- descriptor watches ----

    private void watch(Selectable fd, Runnable callback, boolean reading) throws IOException {
        checkOpen();
        checkOwner();
        if (fd.fileno() >= 0 && completionFds.get(fd.fileno())) {
            throw new IllegalStateException(fd + " is used by a connection on this loop");
        }
        FdWatch watch = existingWatch(fd);
        if (watch != null && watch.fd() != fd && registerReplacing(fd, callback, reading)) {
            return;
        }
        if (watch == null) {
            watch = new FdWatch(this, fd);
            set(watch, callback, reading);
            readiness.register(fd, watch.events(), watch);
        } else {
            set(watch, callback, reading);
            readiness.modify(fd, watch.events(), watch);
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
            readiness.register(fd, fresh.events(), fresh);
            return true;
        } catch (IllegalStateException sameFile) {
            return false;
        }
    }

    private boolean unwatch(Selectable fd, boolean reading) {
        if (refusing) {
            return false;
        }
        checkOwner();
        FdWatch watch = existingWatch(fd);
        if (watch == null || (reading ? watch.reader() : watch.writer()) == null) {
            return false;
        }
        set(watch, null, reading);
        if (watch.events() == 0) {
            readiness.unregister(watch.fd());
        } else {
            try {
                readiness.modify(watch.fd(), watch.events(), watch);
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
        Handler handler = fd.fileno() < 0 ? null : readiness.handler(fd.fileno());
        if (handler == null) {
            return null;
        }
        if (handler instanceof FdWatch watch) {
            return watch;
        }
        throw new IllegalStateException(fd + " is used by " + handler + " on this loop");
    }

    /** Loop thread: whether {@code watch} is still the one registered for its descriptor. */
    boolean isCurrent(FdWatch watch) {
        int fd = watch.fd().fileno();
        return fd >= 0 && readiness.handler(fd) == watch; // a closed object has removed its registration
    }

    private void checkOpen() {
        if (refusing) {
            throw closedError();
        }
    }

    private void checkOwner() {
        if (running && !inLoop()) {
            throw new IllegalStateException("descriptor watches are changed on the loop thread (use callSoon)");
        }
    }

    /** For tests: the timers held in the heap, live or cancelled. */
    int timerHeapSize() {
        return timers.heapSize();
    }
}
