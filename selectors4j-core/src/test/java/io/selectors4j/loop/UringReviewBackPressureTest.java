package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.LoopBackends;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Review of back-pressure on the io_uring loop against hostile peers: peers that flood and never read,
 * with a server that does what the Transport rules ask (pause reading while its writing is paused).
 * A paused connection must not hold what other connections need, and the watermarks must count the
 * bytes a send in flight still owns.
 */
class UringReviewBackPressureTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @AfterEach
    void defaultSizes() {
        UringLoops.defaultSizes();
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void floodersThatNeverReadDoNotStarveTheOtherConnections(LoopBackend backend) throws Exception {
        UringLoops.receiveBuffers(16, 4096);
        int flooders = 24;
        CountDownLatch allPaused = new CountDownLatch(flooders);
        List<Socket> clients = new ArrayList<>();
        List<Thread> pushers = new ArrayList<>();
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY, () -> new PoliteEcho(allPaused));
            int port = ((InetSocketAddress) server.address()).getPort();
            try {
                for (int i = 0; i < flooders; i++) {
                    Socket flooder = Clients.connect(port);
                    clients.add(flooder);
                    Clients.assertEchoes(flooder, 10); // a short first message: an interactive connection
                    pushers.add(Thread.ofVirtual().start(() -> floodWithoutReading(flooder)));
                }
                assertThat(allPaused.await(20, TimeUnit.SECONDS)).as("every flooder's connection paused").isTrue();
                try (Socket honest = Clients.connect(port)) {
                    honest.setSoTimeout(5_000);
                    byte[] ping = "ping from a peer that reads".getBytes();
                    honest.getOutputStream().write(ping);
                    assertThat(Clients.readFully(honest.getInputStream(), ping.length))
                            .as("an honest peer's echo beside the flooders").isEqualTo(ping);
                }
            } finally {
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

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void theHighWaterMarkCountsBytesASendInFlightOwns(LoopBackend backend) throws Exception {
        int total = 8 * 1024 * 1024;
        AtomicLong largest = new AtomicLong();
        CompletableFuture<Void> firstPause = new CompletableFuture<>();
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY, () -> new Producer(total, largest, firstPause));
            try (Socket client = Clients.connect(((InetSocketAddress) server.address()).getPort())) {
                client.setSoTimeout(20_000);
                firstPause.get(20, TimeUnit.SECONDS); // the peer reads nothing until the producer is paused
                byte[] received = Clients.readFully(client.getInputStream(), total);
                assertThat(received).as("every byte, in order").isEqualTo(Producer.pattern(total));
            }
            // the producer writes 16 KiB at a time while not paused: past the mark by less than one write
            assertThat(largest.get()).as("largest write buffer seen")
                    .isLessThanOrEqualTo(StreamTransport.DEFAULT_HIGH_WATER + Producer.PIECE);
            server.close();
            assertThat(running.failures).isEmpty();
        }
    }

    private static void floodWithoutReading(Socket flooder) {
        byte[] junk = new byte[64 * 1024];
        Arrays.fill(junk, (byte) 'x');
        try {
            OutputStream out = flooder.getOutputStream();
            while (true) {
                out.write(junk); // blocks once every buffer on the way is full; ends when the test closes it
            }
        } catch (IOException closedByTheTest) {
            // the test is over
        }
    }

    /** Echoes, pausing its reading while its writing is paused, as the Transport rules advise. */
    private static final class PoliteEcho implements Protocol {
        private final CountDownLatch paused;
        private Transport transport;
        private boolean counted;

        PoliteEcho(CountDownLatch paused) {
            this.paused = paused;
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }

        @Override
        public void pauseWriting() {
            transport.pauseReading();
            if (!counted) {
                counted = true;
                paused.countDown();
            }
        }

        @Override
        public void resumeWriting() {
            transport.resumeReading();
        }
    }

    /** Writes a pattern of {@code total} bytes in pieces while its writing is not paused. */
    private static final class Producer implements Protocol {
        static final int PIECE = 16 * 1024;
        private final int total;
        private final AtomicLong largest;
        private final CompletableFuture<Void> firstPause;
        private final byte[] data;
        private Transport transport;
        private int written;
        private boolean paused;

        Producer(int total, AtomicLong largest, CompletableFuture<Void> firstPause) {
            this.total = total;
            this.largest = largest;
            this.firstPause = firstPause;
            this.data = pattern(total);
        }

        static byte[] pattern(int size) {
            byte[] bytes = new byte[size];
            for (int i = 0; i < size; i++) {
                bytes[i] = (byte) (i * 31 + (i >>> 10));
            }
            return bytes;
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
            produce();
        }

        @Override
        public void pauseWriting() {
            paused = true;
            largest.accumulateAndGet(transport.writeBufferSize(), Math::max);
            firstPause.complete(null);
        }

        @Override
        public void resumeWriting() {
            paused = false;
            transport.loop().callSoon(this::produce); // a call of its own, not inside the transport's send handling
        }

        private void produce() {
            while (written < total && !paused) {
                int n = Math.min(PIECE, total - written);
                transport.write(data, written, n);
                written += n;
                largest.accumulateAndGet(transport.writeBufferSize(), Math::max);
            }
        }
    }
}
