package io.selectors4j.loop;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.loop.tls.TlsLayer;
import io.selectors4j.selectors.Backend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Several {@link EventLoop}s, each running on its own platform thread: one per core by default. A
 * server made by {@link #listen} spreads its connections over every loop. The threads are not daemons:
 * a program ends its group with {@link #shutdown(Duration)} or {@link #close()}, and each loop is closed
 * on its own thread when it stops.
 *
 * <p><b>A loop that ends on its own</b> (a {@code stop()} from one of its callbacks, or a selector
 * failure that ends its {@code run()}, logged at ERROR) is closed at once by its thread: its
 * connections are aborted and its listeners closed (with SO_REUSEPORT the kernel then gives new
 * connections to the other loops' listeners). The group goes on serving with the other loops, as
 * Netty's does, rather than taking every loop's connections down with one; {@link #next()} skips the
 * closed loop. The end is visible: the loop's {@link EventLoop#terminationFuture()} completes (with
 * the selector's failure, if that was the cause), and so, once every loop has ended, does the group's
 * {@link #terminationFuture()}, exceptionally if any loop failed. {@link #shutdown} completes in
 * bounded time whatever state the loops are in.
 */
public final class LoopGroup implements AutoCloseable {
    private static final LoopLog LOG = new LoopLog(LoopGroup.class);
    /** How long past the grace a shutdown waits for its servers before it stops the loops anyway. */
    private static final Duration DRAIN_MARGIN = Duration.ofSeconds(1);

    private final List<EventLoop> loops;
    private final List<Thread> threads;
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> termination;

    private LoopGroup(List<EventLoop> loops, List<Thread> threads) {
        this.loops = List.copyOf(loops);
        this.threads = List.copyOf(threads);
        this.termination = CompletableFuture.allOf(loops.stream().map(EventLoop::terminationFuture)
                .toArray(CompletableFuture[]::new));
    }

    /** One loop per available processor. */
    public static LoopGroup open() throws IOException {
        return open(Runtime.getRuntime().availableProcessors());
    }

    /**
     * {@code loops} loops on the best selector backend, each started on its own platform thread.
     *
     * @throws IllegalArgumentException {@code loops < 1}
     */
    public static LoopGroup open(int loops) throws IOException {
        return open(loops, Backend.best());
    }

    /**
     * {@code loops} loops, each waiting with a selector on {@code backend} and started on its own
     * platform thread.
     *
     * @throws IllegalArgumentException {@code loops < 1}
     * @throws IOException              a selector on {@code backend} cannot be opened here
     */
    public static LoopGroup open(int loops, Backend backend) throws IOException {
        Objects.requireNonNull(backend, "backend");
        return open(loops, LoopBackend.of(backend));
    }

    /**
     * {@code loops} loops on {@code backend}, each started on its own platform thread.
     *
     * @throws IllegalArgumentException {@code loops < 1}
     * @throws IOException              {@code backend} cannot be opened here
     */
    public static LoopGroup open(int loops, LoopBackend backend) throws IOException {
        Objects.requireNonNull(backend, "backend");
        if (loops < 1) {
            throw new IllegalArgumentException("a loop group needs at least one loop, not " + loops);
        }
        List<EventLoop> opened = new ArrayList<>();
        try {
            for (int i = 0; i < loops; i++) {
                opened.add(EventLoop.open(backend));
            }
        } catch (IOException | RuntimeException e) {
            opened.forEach(EventLoop::close);
            throw e;
        }
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < loops; i++) {
            EventLoop loop = opened.get(i);
            String name = "s4j-loop-" + i;
            threads.add(Thread.ofPlatform().name(name).start(() -> {
                try {
                    loop.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, name + " failed and closes; the group goes on with its other loops", e);
                } finally {
                    loop.close();
                }
            }));
        }
        return new LoopGroup(opened, threads);
    }

    /** The loops, in a fixed order. */
    public List<EventLoop> loops() {
        return loops;
    }

    /** The next loop, round-robin, passing over loops that have closed (unless all have); any thread. */
    public EventLoop next() {
        EventLoop loop = null;
        for (int tries = 0; tries < loops.size(); tries++) {
            loop = loops.get(Math.floorMod(nextIndex.getAndIncrement(), loops.size()));
            if (!loop.isClosed()) {
                return loop;
            }
        }
        return loop;
    }

    /**
     * Completes once every loop of the group has closed, whether through {@link #shutdown} or each on its
     * own: exceptionally, with the first failure, if a loop's selector failed.
     */
    public CompletableFuture<Void> terminationFuture() {
        return termination;
    }

    /**
     * Listens on {@code address} with every loop. TCP: one {@code SO_REUSEPORT} listener per loop on the
     * same port (port 0 is resolved by the first), the kernel spreading connections. Elsewhere (Unix
     * sockets): one listener on the first loop handing connections to the loops round-robin.
     * {@link ServerOptions#maxConnections()} limits the connections of all the listeners together.
     */
    public Server listen(SocketAddress address, Supplier<? extends Protocol> factory, ServerOptions options)
            throws IOException {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(options, "options");
        Server server = address instanceof InetSocketAddress ? listenReusingPort(address, factory, options)
                : null;
        if (server == null) {
            server = StreamServer.open(loops.getFirst(), address, factory, options, this::next,
                    new ConnectionLimit(options.maxConnections()));
        }
        servers.add(server);
        return server;
    }

    /**
     * {@link #listen(SocketAddress, Supplier, ServerOptions)} speaking TLS, as
     * {@link EventLoop#listen(SocketAddress, Supplier, ServerOptions, TlsSettings)} does.
     */
    public Server listen(SocketAddress address, Supplier<? extends Protocol> factory, ServerOptions options,
            TlsSettings tls) throws IOException {
        return listen(address, TlsLayer.server(tls, factory, TlsAccess.INSTANCE), options);
    }

    /** One SO_REUSEPORT listener per loop; {@code null} when the system does not offer SO_REUSEPORT. */
    private Server listenReusingPort(SocketAddress address, Supplier<? extends Protocol> factory,
            ServerOptions options) throws IOException {
        ServerOptions shared = options.withReusePort(true);
        ConnectionLimit limit = new ConnectionLimit(options.maxConnections());
        List<Server> opened = new ArrayList<>();
        try {
            opened.add(listenOn(loops.getFirst(), address, factory, shared, limit));
        } catch (NativeIOException e) {
            if (e.errno() == Errno.ENOPROTOOPT || e.errno() == Errno.EOPNOTSUPP) {
                return null;
            }
            throw e;
        }
        try {
            SocketAddress bound = opened.getFirst().address();
            for (EventLoop loop : loops.subList(1, loops.size())) {
                opened.add(listenOn(loop, bound, factory, shared, limit));
            }
        } catch (IOException | RuntimeException e) {
            opened.forEach(Server::close);
            throw e;
        }
        return new GroupServer(opened);
    }

    private static Server listenOn(EventLoop loop, SocketAddress address, Supplier<? extends Protocol> factory,
            ServerOptions options, ConnectionLimit limit) throws IOException {
        return StreamServer.open(loop, address, factory, options, () -> loop, limit);
    }

    /**
     * Shuts down every server made by {@link #listen} with {@code grace} (each connection flushed and
     * closed, those still open at the deadline aborted), then stops the loops. The future completes once
     * every loop thread has finished and closed its loop, at the latest about {@code grace} plus a
     * second after the call whatever state the loops were in (a loop that ended on its own has
     * closed its connections already); exceptionally, with its failure, if a loop's selector failed.
     */
    public CompletableFuture<Void> shutdown(Duration grace) {
        List<Server> open = List.copyOf(servers);
        servers.removeAll(open);
        CompletableFuture<?>[] drained = open.stream().map(s -> s.shutdown(grace)).toArray(CompletableFuture[]::new);
        long waitNanos = TimerQueue.deadlineAfter(EventLoop.delayNanos(grace), DRAIN_MARGIN.toNanos());
        return CompletableFuture.allOf(drained)
                .completeOnTimeout(null, waitNanos, TimeUnit.NANOSECONDS) // the loops' close aborts what is left
                .handle((done, error) -> null)
                .thenComposeAsync(done -> {
                    loops.forEach(EventLoop::stop);
                    joinThreads();
                    return termination;
                }, runnable -> Thread.ofPlatform().name("s4j-loop-group-shutdown").start(runnable));
    }

    /**
     * {@link #shutdown(Duration)} with a grace of five seconds, waiting until it completes. A loop's
     * failure is not thrown here: it was logged when it happened and completes
     * {@link #terminationFuture()} exceptionally.
     *
     * @throws IllegalStateException called on one of the group's loops, which would wait for itself
     */
    @Override
    public void close() {
        if (loops.stream().anyMatch(EventLoop::inLoop)) {
            throw new IllegalStateException("a loop group cannot be closed from one of its loops; use shutdown");
        }
        shutdown(Duration.ofSeconds(5)).handle((done, failure) -> null).join();
    }

    private void joinThreads() {
        for (Thread thread : threads) {
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
