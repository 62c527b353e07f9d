package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.LoopBackends;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Review of pauseReading and resumeReading from another thread racing the completions already on
 * their way: every byte arrives, in order, and the end of stream once and after the data. (Another
 * thread's pause may land between the loop's check and a callback already starting: that is not
 * checked here.)
 */
class UringReviewPauseRaceTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void anotherThreadTogglingReadingLosesAndReordersNothing(LoopBackend backend) throws Exception {
        int total = 8 * 1024 * 1024;
        byte[] sent = new byte[total];
        for (int i = 0; i < total; i++) {
            sent[i] = (byte) (i * 13 + (i >>> 11));
        }
        CompletableFuture<Transport> made = new CompletableFuture<>();
        CompletableFuture<byte[]> whole = new CompletableFuture<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                private final ByteArrayOutputStream received = new ByteArrayOutputStream();
                private int eofs;

                @Override
                public void connectionMade(Transport transport) {
                    made.complete(transport);
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    if (eofs > 0) {
                        problems.add("data after the end of stream");
                    }
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    received.writeBytes(bytes);
                }

                @Override
                public boolean eofReceived() {
                    if (eofs++ > 0) {
                        problems.add("a second end of stream");
                    }
                    whole.complete(received.toByteArray());
                    return false;
                }
            });
            try (Socket client = Clients.connect(((InetSocketAddress) server.address()).getPort())) {
                Transport transport = made.get(20, TimeUnit.SECONDS);
                Thread toggler = Thread.ofPlatform().start(() -> {
                    while (!whole.isDone()) {
                        transport.pauseReading();
                        Thread.onSpinWait();
                        transport.resumeReading();
                    }
                });
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        for (int off = 0; off < total; off += 4096) {
                            client.getOutputStream().write(sent, off, 4096); // small writes: interactive reads
                        }
                        client.shutdownOutput();
                    } catch (java.io.IOException e) {
                        problems.add("writer: " + e);
                    }
                });
                try {
                    assertThat(whole.get(30, TimeUnit.SECONDS)).as("every byte, in order").isEqualTo(sent);
                } finally {
                    whole.complete(null);
                    toggler.join();
                    writer.join();
                }
            }
            assertThat(problems).isEmpty();
            server.close();
            assertThat(running.failures).isEmpty();
        }
    }
}
