package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.loop.uring.UringEngine;
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
        System.clearProperty(UringEngine.BUFFERS);
        System.clearProperty(UringEngine.BUFFER_SIZE);
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void connectionsPausedAfterABurstLeaveTheBuffersToTheOthers(LoopBackend backend) throws Exception {
        System.setProperty(UringEngine.BUFFERS, "16");
        System.setProperty(UringEngine.BUFFER_SIZE, "4096");
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
