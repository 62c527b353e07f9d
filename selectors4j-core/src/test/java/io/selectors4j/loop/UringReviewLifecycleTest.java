package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.LoopBackends;
import io.selectors4j.testkit.Proc;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Review of the io_uring stream transport's lifecycle edges, each with operations in flight: the loop
 * closed under sends and receives, a peer resetting mid-send, writes, writeEof, close and abort from
 * another thread with bytes still queued. Whatever the edge: every connectionLost exactly once,
 * every descriptor released, and the peer sees what the Transport rules promise.
 */
class UringReviewLifecycleTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final int BULK = 4 * 1024 * 1024;

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void closingTheLoopWithSendsAndReceivesInFlightEndsEveryConnection(LoopBackend backend) throws Exception {
        int connections = 8;
        CountDownLatch paused = new CountDownLatch(connections);
        List<Throwable> lost = new CopyOnWriteArrayList<>();
        List<Socket> clients = new ArrayList<>();
        RunningLoop running = RunningLoop.start(backend);
        try {
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    transport.write(new byte[BULK]); // more than the peer takes: a send stays in flight
                }

                @Override
                public void pauseWriting() {
                    paused.countDown();
                }

                @Override
                public void connectionLost(Throwable cause) {
                    lost.add(cause == null ? new Throwable("clean") : cause);
                }
            });
            int port = ((InetSocketAddress) server.address()).getPort();
            for (int i = 0; i < connections; i++) {
                clients.add(Clients.connect(port));
            }
            assertThat(paused.await(20, TimeUnit.SECONDS)).as("every connection backed up").isTrue();
            int open = running.call(() -> Proc.openSockets(Proc.SELF));
            running.close(); // stop, then close with the sends and receives in flight
            assertThat(lost).as("connectionLost, once each").hasSize(connections);
            assertThat(Proc.openSockets(Proc.SELF)).as("the listener's and the connections' sockets")
                    .isLessThanOrEqualTo(open - connections - 1);
            for (Socket client : clients) {
                assertThat(drainsToEndOrReset(client)).as("the peer sees its connection end").isTrue();
            }
            assertThat(running.failures).isEmpty();
        } finally {
            for (Socket client : clients) {
                client.close();
            }
            if (running.loop.isRunning()) {
                running.close();
            }
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void closingTheLoopCompletesAShutdownWaitingForASendThatCannotFinish(LoopBackend backend) throws Exception {
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch lost = new CountDownLatch(1);
        RunningLoop running = RunningLoop.start(backend);
        try (Socket client = new Socket()) {
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    transport.write(new byte[BULK]);
                }

                @Override
                public void pauseWriting() {
                    paused.countDown();
                }

                @Override
                public void connectionLost(Throwable cause) {
                    lost.countDown();
                }
            });
            client.connect(server.address(), 20_000);
            assertThat(paused.await(20, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> shutdown = server.shutdown(java.time.Duration.ofHours(1)); // the peer never reads
            running.call(() -> null);
            assertThat(shutdown).as("still flushing to a peer that does not read").isNotDone();
            running.close();
            shutdown.get(5, TimeUnit.SECONDS); // the loop's close aborted the connection
            assertThat(lost.getCount()).isZero();
            assertThat(running.loop.terminationFuture()).isCompleted();
            assertThat(drainsToEndOrReset(client)).isTrue();
        } finally {
            if (running.loop.isRunning()) {
                running.close();
            }
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aShutdownAbortsASendInFlightToAPeerThatNeverReadsAtItsDeadline(LoopBackend backend) throws Exception {
        CountDownLatch paused = new CountDownLatch(1);
        CompletableFuture<Throwable> lost = new CompletableFuture<>();
        try (RunningLoop running = RunningLoop.start(backend); Socket client = new Socket()) {
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    transport.write(new byte[BULK]);
                }

                @Override
                public void pauseWriting() {
                    paused.countDown();
                }

                @Override
                public void connectionLost(Throwable cause) {
                    lost.complete(cause);
                }
            });
            client.connect(server.address(), 20_000);
            assertThat(paused.await(20, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            server.shutdown(java.time.Duration.ofMillis(300)).get(20, TimeUnit.SECONDS);
            assertThat(System.nanoTime() - start).as("the shutdown ends at its deadline, not the peer's pace")
                    .isLessThan(TimeUnit.SECONDS.toNanos(5));
            lost.get(5, TimeUnit.SECONDS);
            assertThat(running.call(server::connectionCount)).isZero();
            assertThat(drainsToEndOrReset(client)).isTrue();
            assertThat(running.failures).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aPeerResettingMidSendLosesTheConnectionOnceWithTheError(LoopBackend backend) throws Exception {
        CountDownLatch paused = new CountDownLatch(1);
        CompletableFuture<Throwable> lost = new CompletableFuture<>();
        AtomicInteger lostCalls = new AtomicInteger();
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    transport.write(new byte[BULK]);
                }

                @Override
                public void pauseWriting() {
                    paused.countDown();
                }

                @Override
                public void connectionLost(Throwable cause) {
                    lostCalls.incrementAndGet();
                    lost.complete(cause);
                }
            });
            Socket client = Clients.connect(((InetSocketAddress) server.address()).getPort());
            assertThat(paused.await(20, TimeUnit.SECONDS)).isTrue();
            Clients.reset(client);
            assertThat(lost.get(20, TimeUnit.SECONDS)).as("the cause of the loss").isNotNull();
            assertThat(running.call(server::connectionCount)).isZero();
            assertThat(lostCalls.get()).isEqualTo(1);
            server.close();
            assertThat(running.failures).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void writesFromAnotherThreadThenWriteEofArriveWholeThenTheEnd(LoopBackend backend) throws Exception {
        endsAfterEverything(backend, Transport::writeEof, false);
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void writesFromAnotherThreadThenCloseArriveWholeThenTheEnd(LoopBackend backend) throws Exception {
        endsAfterEverything(backend, Transport::close, true);
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void abortFromAnotherThreadWithASendInFlightResetsThePeerAndReleasesTheSocket(LoopBackend backend)
            throws Exception {
        CompletableFuture<Transport> made = new CompletableFuture<>();
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch lost = new CountDownLatch(1);
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    transport.write(new byte[BULK]);
                    made.complete(transport);
                }

                @Override
                public void pauseWriting() {
                    paused.countDown();
                }

                @Override
                public void connectionLost(Throwable cause) {
                    lost.countDown();
                }
            });
            try (Socket client = Clients.connect(((InetSocketAddress) server.address()).getPort())) {
                Transport transport = made.get(20, TimeUnit.SECONDS);
                assertThat(paused.await(20, TimeUnit.SECONDS)).isTrue();
                int open = running.call(() -> Proc.openSockets(Proc.SELF));
                transport.abort();
                assertThat(lost.await(20, TimeUnit.SECONDS)).isTrue();
                assertThat(Proc.openSockets(Proc.SELF)).isLessThanOrEqualTo(open - 1);
                assertThat(drainsToEndOrReset(client)).isTrue();
            }
            server.close();
            assertThat(running.failures).isEmpty();
        }
    }

    /**
     * Another thread writes 2 MiB in pieces, then ends with {@code end}: the peer reads all of it, then
     * the end; a close ({@code closes}) is clean.
     */
    private static void endsAfterEverything(LoopBackend backend, Consumer<Transport> end, boolean closes)
            throws Exception {
        int total = 2 * 1024 * 1024;
        int piece = 8 * 1024;
        byte[] data = new byte[total];
        for (int i = 0; i < total; i++) {
            data[i] = (byte) (i * 7 + (i >>> 9));
        }
        CompletableFuture<Transport> made = new CompletableFuture<>();
        CompletableFuture<Throwable> lost = new CompletableFuture<>();
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    made.complete(transport);
                }

                @Override
                public boolean eofReceived() {
                    return true; // half-open: the peer's end does not close ours
                }

                @Override
                public void connectionLost(Throwable cause) {
                    lost.complete(cause);
                }
            });
            try (Socket client = Clients.connect(((InetSocketAddress) server.address()).getPort())) {
                client.setSoTimeout(20_000);
                Transport transport = made.get(20, TimeUnit.SECONDS);
                Thread writer = Thread.ofPlatform().start(() -> {
                    for (int off = 0; off < total; off += piece) {
                        transport.write(data, off, piece);
                    }
                    end.accept(transport);
                });
                InputStream in = client.getInputStream();
                assertThat(Clients.readFully(in, total)).as("every byte, in order").isEqualTo(data);
                assertThat(in.read()).as("then the end of stream").isEqualTo(-1);
                writer.join();
                client.shutdownOutput();
                if (closes) {
                    assertThat(lost.get(20, TimeUnit.SECONDS)).as("a clean close").isNull();
                }
            }
            server.close();
            assertThat(running.failures).isEmpty();
        }
    }

    /** Reads and drops what the server had sent until the end of stream or a reset; false on a timeout. */
    private static boolean drainsToEndOrReset(Socket client) throws IOException {
        client.setSoTimeout(10_000);
        byte[] sink = new byte[64 * 1024];
        InputStream in = client.getInputStream();
        try {
            while (in.read(sink) >= 0) {
                // what was in flight
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }
}
