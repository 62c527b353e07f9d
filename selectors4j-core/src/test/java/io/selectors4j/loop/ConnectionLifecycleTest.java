package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.selectors.Events;
import io.selectors4j.testkit.LoopBackends;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A connection's life: reuse of descriptors, exactly one connectionLost, errors on write, pausing reads. */
class ConnectionLifecycleTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @ParameterizedTest
    @MethodSource(LoopBackends.ALL)
    void shortConnectionsOneAfterAnotherReuseDescriptorsCleanly(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            AtomicInteger made = new AtomicInteger();
            List<String> lost = new CopyOnWriteArrayList<>();
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                Transport transport;

                @Override
                public void connectionMade(Transport transport) {
                    this.transport = transport;
                    made.incrementAndGet();
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    transport.write(data);
                    transport.close(); // closing twice and aborting after must still tell us once
                    transport.close();
                    transport.abort();
                }

                @Override
                public void connectionLost(Throwable cause) {
                    lost.add(transport.peerAddress() + " " + cause);
                }
            });
            int connections = 300;
            for (int i = 0; i < connections; i++) {
                try (java.net.Socket socket = StreamTransportTest.client(server)) {
                    byte[] message = ("connection " + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    socket.getOutputStream().write(message);
                    assertThat(socket.getInputStream().readAllBytes()).isEqualTo(message);
                }
            }
            running.call(() -> null);
            assertThat(made.get()).isEqualTo(connections);
            assertThat(lost).hasSize(connections).doesNotHaveDuplicates();
            assertThat(server.connectionCount()).isZero();
            assertThat(running.failures).isEmpty();
        }
    }

    /** Readiness mechanics (the selector key's interest set): an io_uring loop has no interest to set. */
    @Test
    void writeInterestIsSetOnlyWhileBytesAreQueued() throws Exception {
        try (RunningLoop running = RunningLoop.start(LoopBackend.EPOLL)) {
            int size = 4 * 1024 * 1024;
            StreamTransportTest.Echo echo = new StreamTransportTest.Echo();
            Server server = running.loop.listen(ANY, () -> echo);
            try (java.net.Socket socket = StreamTransportTest.client(server)) {
                Transport transport = echo.made.get(20, TimeUnit.SECONDS);
                assertThat(running.call(() -> transportEvents(running))).isEqualTo(Events.READ);
                int queuedEvents = running.call(() -> {
                    transport.write(new byte[size]);
                    return transportEvents(running);
                });
                assertThat(queuedEvents).isEqualTo(Events.READ | Events.WRITE);
                assertThat(socket.getInputStream().readNBytes(size)).hasSize(size);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (running.call(transport::writeBufferSize) > 0) {
                    assertThat(System.nanoTime() - deadline).isNegative();
                }
                assertThat(running.call(() -> transportEvents(running))).isEqualTo(Events.READ);
            }
        }
    }

    private static int transportEvents(RunningLoop running) {
        return running.loop.selector().getMap().values().stream()
                .filter(key -> key.data() instanceof StreamTransport)
                .mapToInt(io.selectors4j.selectors.SelectorKey::events)
                .findFirst().orElseThrow();
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void anAcceptBatchOfOneStillTakesAWholeBurst(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY, StreamTransportTest.Echo::new,
                    ServerOptions.defaults().withAcceptBatch(1).withBacklog(100));
            List<java.net.Socket> burst = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 60; i++) {
                    burst.add(StreamTransportTest.client(server));
                }
                for (int i = 0; i < burst.size(); i++) {
                    burst.get(i).getOutputStream().write(i);
                    assertThat(burst.get(i).getInputStream().read()).isEqualTo(i);
                }
                assertThat(server.connectionCount()).isEqualTo(60);
            } finally {
                for (java.net.Socket socket : burst) {
                    socket.close();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aWriteToAPeerThatResetEndsTheConnectionWithTheError(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            CompletableFuture<Throwable> lost = new CompletableFuture<>();
            CountDownLatch made = new CountDownLatch(1);
            Transport[] transport = new Transport[1];
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                @Override
                public void connectionMade(Transport t) {
                    transport[0] = t;
                    t.pauseReading(); // only the write path can find the reset
                    made.countDown();
                }

                @Override
                public void connectionLost(Throwable cause) {
                    lost.complete(cause);
                }
            });
            java.net.Socket socket = StreamTransportTest.client(server);
            assertThat(made.await(20, TimeUnit.SECONDS)).isTrue();
            socket.setSoLinger(true, 0);
            socket.close();
            byte[] block = new byte[64 * 1024];
            for (int i = 0; i < 1000 && !lost.isDone(); i++) {
                transport[0].write(block);
                running.call(() -> null);
            }
            Throwable cause = lost.get(20, TimeUnit.SECONDS);
            assertThat(cause).isInstanceOf(NativeIOException.class);
            assertThat(((NativeIOException) cause).errno()).isIn(Errno.EPIPE, Errno.ECONNRESET);
            assertThat(transport[0].isClosing()).isTrue();
            assertThat(transport[0].writeBufferSize()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void pausedReadingDeliversNothingUntilResumed(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            List<Integer> received = new CopyOnWriteArrayList<>();
            CountDownLatch made = new CountDownLatch(1);
            CountDownLatch gotAll = new CountDownLatch(1);
            Transport[] transport = new Transport[1];
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                int total;

                @Override
                public void connectionMade(Transport t) {
                    transport[0] = t;
                    t.pauseReading();
                    made.countDown();
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    received.add(data.remaining());
                    total += data.remaining();
                    if (total == 1000) {
                        gotAll.countDown();
                    }
                }
            });
            try (java.net.Socket socket = StreamTransportTest.client(server)) {
                assertThat(made.await(20, TimeUnit.SECONDS)).isTrue();
                assertThat(transport[0].isReading()).isFalse();
                socket.getOutputStream().write(new byte[1000]);
                for (int i = 0; i < 20; i++) {
                    running.call(() -> null); // iterations in which the data must stay unread
                }
                assertThat(received).isEmpty();
                transport[0].resumeReading();
                assertThat(gotAll.await(20, TimeUnit.SECONDS)).isTrue();
                assertThat(transport[0].isReading()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void writeBufferLimitsAreChecked(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            StreamTransportTest.Echo echo = new StreamTransportTest.Echo();
            Server server = running.loop.listen(ANY, () -> echo);
            try (java.net.Socket socket = StreamTransportTest.client(server)) {
                Transport transport = echo.made.get(20, TimeUnit.SECONDS);
                assertThatThrownBy(() -> transport.setWriteBufferLimits(10, 20)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> transport.setWriteBufferLimits(-1, 0)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> transport.write(new byte[4], 2, 4)).isInstanceOf(IndexOutOfBoundsException.class);
                transport.setWriteBufferLimits(0, 0);
                assertThat(transport.writeBufferSize()).isZero();
            }
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void closingTheLoopAbortsItsConnectionsAndTellsTheirProtocols(LoopBackend backend) throws Exception {
        RunningLoop running = RunningLoop.start(backend);
        StreamTransportTest.Echo echo = new StreamTransportTest.Echo();
        Server server = running.loop.listen(ANY, () -> echo);
        try (java.net.Socket socket = StreamTransportTest.client(server)) {
            echo.made.get(20, TimeUnit.SECONDS);
            running.close();
            assertThat(echo.lost.get(20, TimeUnit.SECONDS)).isInstanceOf(StreamTransportTest.NoError.class);
            assertThatThrownBy(() -> {
                InputStream in = socket.getInputStream();
                while (in.read() >= 0) {
                    // a reset ends this with an exception
                }
            }).isInstanceOf(SocketException.class);
            assertThat(server.isServing()).isFalse();
        }
        assertThatThrownBy(() -> new java.net.Socket().connect(server.address(), 5000))
                .as("the listener is closed").isInstanceOf(java.net.ConnectException.class);
    }
    @ParameterizedTest
    @MethodSource(LoopBackends.ALL)
    void aConnectionResetBeforeTheLoopTakesItStillReachesItsProtocolAndEnds(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            CompletableFuture<java.net.SocketAddress> made = new CompletableFuture<>();
            CompletableFuture<Throwable> lost = new CompletableFuture<>();
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    made.complete(transport.peerAddress());
                }

                @Override
                public void connectionLost(Throwable cause) {
                    lost.complete(cause);
                }
            });
            CountDownLatch reset = new CountDownLatch(1);
            running.loop.callSoon(() -> { // the loop accepts only once the client has reset its connection
                try {
                    reset.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            int clientPort;
            try (java.net.Socket client = new java.net.Socket()) {
                client.connect(server.address(), 10_000);
                clientPort = client.getLocalPort();
                client.setSoLinger(true, 0);
            }
            reset.countDown();
            assertThat(made.get(20, TimeUnit.SECONDS)).isEqualTo(new InetSocketAddress("127.0.0.1", clientPort));
            assertThat(lost.get(20, TimeUnit.SECONDS)).isInstanceOf(NativeIOException.class)
                    .extracting(e -> ((NativeIOException) e).errno()).isEqualTo(Errno.ECONNRESET);
            assertThat(running.failures).isEmpty();
        }
    }
}
