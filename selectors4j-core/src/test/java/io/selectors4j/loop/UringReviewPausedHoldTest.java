package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.LoopBackends;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Review of what a connection paused by its protocol holds on the io_uring loop. The Transport rules
 * make pauseReading the protocol's tool for a slow consumer (a backend still working on the last
 * request): a paused connection should cost the loop nothing but its socket, as on a readiness loop.
 */
class UringReviewPausedHoldTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @AfterEach
    void defaultSizes() {
        UringLoops.defaultSizes();
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void connectionsPausedAfterABurstLeaveTheBuffersToTheOthers(LoopBackend backend) throws Exception {
        UringLoops.receiveBuffers(16, 4096);
        int bursters = 8;
        CountDownLatch paused = new CountDownLatch(bursters);
        List<Socket> clients = new ArrayList<>();
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY, () -> new SlowBackendEcho(paused));
            int port = ((InetSocketAddress) server.address()).getPort();
            try {
                for (int i = 0; i < bursters; i++) {
                    Socket burster = Clients.connect(port);
                    clients.add(burster);
                    Clients.assertEchoes(burster, 10); // a short first request: an interactive connection
                    burster.getOutputStream().write(new byte[64 * 1024]); // then a burst, in one write
                }
                assertThat(paused.await(20, TimeUnit.SECONDS)).as("each burst's connection paused").isTrue();
                try (Socket honest = Clients.connect(port)) {
                    honest.setSoTimeout(5_000);
                    Clients.assertEchoes(honest, 100);
                }
            } finally {
                for (Socket client : clients) {
                    client.close();
                }
            }
            server.close();
            assertThat(running.failures).isEmpty();
        }
    }
    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void floodedConnectionsPausedFromOutsideTheirCallbacksLeaveTheBuffersToTheOthers(LoopBackend backend)
            throws Exception {
        UringLoops.receiveBuffers(16, 4096);
        int flooders = 20;
        CountDownLatch paused = new CountDownLatch(16); // as many as the ring has buffers
        List<Socket> clients = new ArrayList<>();
        List<Thread> pushers = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean pushing = new java.util.concurrent.atomic.AtomicBoolean(true);
        CountDownLatch backlogged = new CountDownLatch(flooders);
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY, () -> new PausedByItsBackend(paused));
            int port = ((InetSocketAddress) server.address()).getPort();
            try {
                for (int i = 0; i < flooders; i++) {
                    Socket flooder = Clients.connect(port);
                    clients.add(flooder);
                    pushers.add(Thread.ofPlatform().start(
                            () -> Clients.pushUntilStopped(flooder, (byte) 'x', 512 * 1024, pushing, backlogged)));
                }
                assertThat(paused.await(20, TimeUnit.SECONDS)).as("16 flooded connections paused").isTrue();
                try (Socket honest = Clients.connect(port)) {
                    honest.setSoTimeout(5_000);
                    byte[] ping = new byte[50];
                    java.util.Arrays.fill(ping, (byte) 'P');
                    honest.getOutputStream().write(ping);
                    try {
                        assertThat(Clients.readFully(honest.getInputStream(), ping.length))
                                .as("an honest peer's echo beside %d paused floods", flooders).isEqualTo(ping);
                    } catch (java.net.SocketTimeoutException e) {
                        throw new AssertionError("no echo within 5 s beside " + flooders + " paused floods; receives"
                                + " that found the buffer ring empty: " + running.call(() -> running.loop.uring() == null
                                        ? "n/a" : String.valueOf(running.loop.uring().starvedReceives())), e);
                    }
                }
            } finally {
                pushing.set(false);
                for (Socket client : clients) {
                    client.close();
                }
                for (Thread pusher : pushers) {
                    pusher.join();
                }
            }
            server.close();
            assertThat(running.failures).isEmpty();
        }
    }

    /**
     * Echoes a peer whose first byte is 'P'; any other is a flood forwarded to a backend that, once
     * 64 KiB are in, asks (from a callback of its own, as a proxy's other side would) to pause reading.
     */
    private static final class PausedByItsBackend implements Protocol {
        private final CountDownLatch paused;
        private Transport transport;
        private long received;
        private boolean first = true;
        private boolean echo;
        private boolean pauseAsked;

        PausedByItsBackend(CountDownLatch paused) {
            this.paused = paused;
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            if (first) {
                first = false;
                echo = data.get(data.position()) == 'P';
            }
            if (echo) {
                transport.write(data);
                return;
            }
            received += data.remaining();
            if (received >= 64 * 1024 && !pauseAsked) {
                pauseAsked = true;
                transport.loop().callSoon(() -> {
                    transport.pauseReading();
                    paused.countDown();
                });
            }
        }
    }

    /**
     * Echoes requests of up to 100 bytes; anything larger goes to a backend that has not answered yet,
     * so reading pauses until it does (not within this test).
     */
    private static final class SlowBackendEcho implements Protocol {
        private final CountDownLatch paused;
        private Transport transport;

        SlowBackendEcho(CountDownLatch paused) {
            this.paused = paused;
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            if (data.remaining() <= 100) {
                transport.write(data);
                return;
            }
            transport.pauseReading();
            paused.countDown();
        }
    }
}
