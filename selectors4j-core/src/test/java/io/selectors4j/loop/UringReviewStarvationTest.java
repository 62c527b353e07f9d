package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.LoopBackends;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Review of fairness when bulk senders empty the buffer ring (every receive waits on ENOBUFS): an
 * interactive peer's requests must still be answered promptly, as on a readiness loop.
 */
class UringReviewStarvationTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** The slowest round trip allowed: far above a loaded 2-core machine's, far below a starved one's. */
    private static final long SLOWEST_NANOS = TimeUnit.SECONDS.toNanos(2);

    @AfterEach
    void defaultSizes() {
        UringLoops.defaultSizes();
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void anInteractivePeerIsAnsweredWhileBulkSendersEmptyTheBufferRing(LoopBackend backend) throws Exception {
        UringLoops.receiveBuffers(4, 4096);
        int senders = 12;
        AtomicBoolean pushing = new AtomicBoolean(true);
        CountDownLatch backlogged = new CountDownLatch(senders);
        List<Socket> bulk = new ArrayList<>();
        List<Thread> pushers = new ArrayList<>();
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY, PingOrDiscard::new);
            int port = ((InetSocketAddress) server.address()).getPort();
            try {
                for (int i = 0; i < senders; i++) {
                    Socket sender = Clients.connect(port);
                    bulk.add(sender);
                    pushers.add(Thread.ofPlatform().start(
                            () -> Clients.pushUntilStopped(sender, (byte) 'x', 1024 * 1024, pushing, backlogged)));
                }
                assertThat(backlogged.await(20, TimeUnit.SECONDS)).as("every bulk sender backlogged").isTrue();
                try (Socket interactive = Clients.connect(port)) {
                    byte[] ping = new byte[32];
                    Arrays.fill(ping, (byte) 'P');
                    OutputStream out = interactive.getOutputStream();
                    InputStream in = interactive.getInputStream();
                    long slowest = 0;
                    for (int round = 0; round < 50; round++) {
                        long start = System.nanoTime();
                        out.write(ping);
                        assertThat(Clients.readFully(in, ping.length)).isEqualTo(ping);
                        slowest = Math.max(slowest, System.nanoTime() - start);
                    }
                    assertThat(slowest).as("slowest round trip (ns) beside %d floods", senders)
                            .isLessThan(SLOWEST_NANOS);
                }
                if (backend == LoopBackend.IO_URING) {
                    assertThat(running.call(() -> running.loop.uring().starvedReceives()))
                            .as("receives that found the ring empty (the case under test)").isPositive();
                }
            } finally {
                pushing.set(false);
                for (Socket sender : bulk) {
                    sender.close();
                }
                for (Thread pusher : pushers) {
                    pusher.join();
                }
            }
            server.close();
            assertThat(running.failures).isEmpty();
        }
    }

    /** Echoes what starts with 'P' (the interactive peer's requests), drops the rest (the floods). */
    private static final class PingOrDiscard implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            if (data.get(data.position()) == 'P') {
                transport.write(data);
            }
        }
    }
}
