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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Review of the provided-buffer ring's bookkeeping under churn: flooding connections closed or aborted
 * by their protocol in the middle of their data (held buffers, receives in flight, bulk turns), beside
 * an echo whose every byte is checked. A buffer returned twice would be handed to two receives at
 * once, and the echo would come back corrupted; one never returned would starve it.
 */
class UringReviewBufferIntegrityTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @AfterEach
    void defaultSizes() {
        UringLoops.defaultSizes();
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void connectionsEndedMidFloodCorruptNothingAndLeakNoBuffer(LoopBackend backend) throws Exception {
        UringLoops.receiveBuffers(16, 4096);
        AtomicBoolean churning = new AtomicBoolean(true);
        AtomicInteger ended = new AtomicInteger();
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY, () -> new EchoOrEnd(ended));
            int port = ((InetSocketAddress) server.address()).getPort();
            List<Thread> churners = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                churners.add(Thread.ofPlatform().start(() -> churn(port, churning)));
            }
            try (Socket echo = Clients.connect(port)) {
                OutputStream out = echo.getOutputStream();
                InputStream in = echo.getInputStream();
                for (int round = 0; round < 200; round++) {
                    byte[] message = pattern(40_000 + round, round);
                    CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                        try {
                            out.write(message);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    assertThat(Clients.readFully(in, message.length)).as("echo of round %d", round).isEqualTo(message);
                    written.get(20, TimeUnit.SECONDS);
                }
            } finally {
                churning.set(false);
                for (Thread churner : churners) {
                    churner.join();
                }
            }
            assertThat(ended.get()).as("connections ended mid-flood (the churn under test)").isGreaterThan(20);
            server.close();
            assertThat(running.failures).isEmpty();
        }
    }

    /** Connects, floods until the server ends the connection, again, until told to stop. */
    private static void churn(int port, AtomicBoolean churning) {
        byte[] flood = new byte[64 * 1024];
        flood[0] = 'F';
        while (churning.get()) {
            try (Socket socket = Clients.connect(port)) {
                OutputStream out = socket.getOutputStream();
                while (churning.get()) {
                    out.write(flood);
                }
            } catch (IOException endedByTheServer) {
                // the next connection
            }
        }
    }

    private static byte[] pattern(int size, int seed) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + seed + (i >>> 8));
        }
        data[0] = 'E';
        return data;
    }

    /**
     * Echoes a connection whose first byte is 'E'; a flood ('F') is closed after 100 KiB, and aborted
     * (every third one) from inside dataReceived, with more on its way.
     */
    private static final class EchoOrEnd implements Protocol {
        private final AtomicInteger ended;
        private Transport transport;
        private boolean echo;
        private boolean first = true;
        private long received;

        EchoOrEnd(AtomicInteger ended) {
            this.ended = ended;
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            if (first) {
                first = false;
                echo = data.get(data.position()) == 'E';
            }
            if (echo) {
                transport.write(data);
                return;
            }
            received += data.remaining();
            if (received > 100 * 1024 && !transport.isClosing()) {
                if (ended.incrementAndGet() % 3 == 0) {
                    transport.abort();
                } else {
                    transport.close();
                }
            }
        }
    }
}
