package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.LoopBackends;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Review of the idle timeout on the io_uring loop against a peer that reads slowly but steadily: bytes
 * move all the time, so the connection is not idle, whatever the size of the send in flight.
 */
class UringReviewIdleTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final int TOTAL = 1536 * 1024;
    /** The slow peer reads this much every {@link #PACE}: about 5 times faster than the timeout allows for. */
    private static final int SIP = 32 * 1024;
    private static final Duration PACE = Duration.ofMillis(100);
    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aPeerThatReadsSlowlyButSteadilyIsNotIdle(LoopBackend backend) throws Exception {
        CompletableFuture<Throwable> lost = new CompletableFuture<>();
        ServerOptions options = ServerOptions.defaults().withIdleTimeout(IDLE).withSendBufferSize(64 * 1024);
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    transport.write(new byte[TOTAL]);
                    transport.close(); // flushes first
                }

                @Override
                public void connectionLost(Throwable cause) {
                    lost.complete(cause);
                }
            }, options);
            try (Socket client = new Socket()) {
                client.setReceiveBufferSize(64 * 1024); // a small window: the peer's pace sets the sender's
                client.connect(server.address(), 20_000);
                client.setSoTimeout(20_000);
                InputStream in = client.getInputStream();
                byte[] sip = new byte[SIP];
                long received = 0;
                try {
                    int n;
                    while ((n = in.read(sip)) >= 0) {
                        received += n;
                        Thread.sleep(PACE.toMillis()); // the slow peer's pace, not a synchronisation
                    }
                } catch (SocketException reset) {
                    // counted below
                }
                assertThat(lost.get(20, TimeUnit.SECONDS)).as("a clean close, not an idle timeout").isNull();
                assertThat(received).as("bytes the slow peer got before the end").isEqualTo(TOTAL);
            }
            server.close();
            assertThat(running.failures).isEmpty();
        }
    }
}
