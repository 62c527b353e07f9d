package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.testkit.LoopBackends;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ServerOptions#idleTimeout()}: a connection on which no bytes move either way loses its slot
 * after the timeout; one that keeps moving bytes keeps it; and the check costs nothing per message.
 */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class IdleTimeoutTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    /** An echo that notes, on the loop's clock, when it was made and when it was lost. */
    private static final class TimedEcho extends StreamTransportTest.Echo {
        volatile long madeAt;
        volatile long lostAt;

        @Override
        public void connectionMade(Transport transport) {
            madeAt = transport.loop().time();
            super.connectionMade(transport);
        }

        @Override
        public void connectionLost(Throwable cause) {
            lostAt = transport.loop().time();
            super.connectionLost(cause);
        }
    }

    @Test
    void aSilentConnectionIsAbortedAfterTheTimeoutAndItsPeerSeesIt() throws Exception {
        Duration timeout = Duration.ofMillis(200);
        try (RunningLoop running = RunningLoop.start(backend)) {
            TimedEcho echo = new TimedEcho();
            Server server = running.loop.listen(ANY, () -> echo, ServerOptions.defaults().withIdleTimeout(timeout));
            try (java.net.Socket client = StreamTransportTest.client(server)) {
                assertTimedOut(echo.lost.get(20, TimeUnit.SECONDS));
                assertThat(echo.lostAt - echo.madeAt).as("not before the timeout").isGreaterThanOrEqualTo(timeout.toNanos());
                assertPeerSeesTheEnd(client);
                assertThat(server.connectionCount()).isZero();
            }
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void aConnectionThatKeepsSendingKeepsItsSlot() throws Exception {
        Duration timeout = Duration.ofSeconds(1);
        try (RunningLoop running = RunningLoop.start(backend)) {
            TimedEcho echo = new TimedEcho();
            Server server = running.loop.listen(ANY, () -> echo, ServerOptions.defaults().withIdleTimeout(timeout));
            try (java.net.Socket client = StreamTransportTest.client(server)) {
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();
                long end = System.nanoTime() + 3 * timeout.toNanos();
                int roundTrips = 0;
                while (System.nanoTime() < end) {
                    out.write(roundTrips & 0x7f);
                    assertThat(in.read()).as("round trip %d", roundTrips).isEqualTo(roundTrips & 0x7f);
                    roundTrips++;
                }
                assertThat(echo.lost).as("still open after three timeouts of traffic").isNotDone();
                assertThat(server.connectionCount()).isEqualTo(1);
                assertTimedOut(echo.lost.get(20, TimeUnit.SECONDS)); // and closed once the traffic stops
            }
        }
    }

    @Test
    void aConnectionWhosePeerDoesNotReadIsAbortedThoughTheServerKeepsWriting() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        try (RunningLoop running = RunningLoop.start(backend)) {
            CompletableFuture<Throwable> lost = new CompletableFuture<>();
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                Transport transport;

                @Override
                public void connectionMade(Transport transport) {
                    this.transport = transport;
                    transport.write(new byte[16 * 1024 * 1024]); // far more than the kernel buffers hold
                    keepWriting();
                }

                private void keepWriting() {
                    if (!transport.isClosing()) {
                        transport.write(new byte[1024]);
                        transport.loop().callLater(Duration.ofMillis(10), this::keepWriting);
                    }
                }

                @Override
                public void connectionLost(Throwable cause) {
                    lost.complete(cause);
                }
            }, ServerOptions.defaults().withIdleTimeout(timeout));
            try (java.net.Socket client = new java.net.Socket()) {
                client.setReceiveBufferSize(4096);
                client.connect(server.address(), 10_000);
                assertTimedOut(lost.get(20, TimeUnit.SECONDS)); // the test never reads until now
                assertThat(server.connectionCount()).isZero();
            }
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void theSlotOfAnIdleConnectionGoesToTheNextClient() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY, StreamTransportTest.Echo::new,
                    ServerOptions.defaults().withMaxConnections(1).withIdleTimeout(Duration.ofMillis(300)));
            try (java.net.Socket silent = StreamTransportTest.client(server);
                    java.net.Socket next = StreamTransportTest.client(server)) {
                next.getOutputStream().write(42);
                assertThat(next.getInputStream().read()).as("served once the silent one timed out").isEqualTo(42);
                assertPeerSeesTheEnd(silent);
                assertThat(server.connectionCount()).isEqualTo(1);
            }
        }
    }

    /**
     * 100,000 echoed messages with the idle timeout on allocate nothing per message on the loop thread: the
     * progress mark is a field write from a clock read once per iteration, and the one timer per
     * connection is re-armed once per timeout, not per read.
     *
     * <p>Measured against the same echo without the timeout, on the same loop at the same time (so the
     * same compiled code and the same timed wait): in some JVM runs the JDK's downcall stubs allocate 40
     * bytes per native call (the errno capture segment's slice in {@code SharedUtils.checkCaptureSegment},
     * reached from {@code Libc.epollWait}, {@code recv} and {@code send}; C2 removes it only when it
     * inlines the whole chain), which is not the loop's and shows in both. The bound is generous: under
     * one byte per message of difference, where one object per message would be 16 bytes or more. A pair
     * of runs is tried again (three at most) when the JIT recompiled between its two halves.
     */
    @Test
    void anEchoWithTheIdleTimeoutOnAllocatesNothingPerMessage() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (RunningLoop running = RunningLoop.start(backend)) {
            long loopThread = running.call(() -> Thread.currentThread().threadId());
            Server withTimeout = running.loop.listen(ANY, StreamTransportTest.Echo::new,
                    ServerOptions.defaults().withIdleTimeout(Duration.ofMinutes(10)));
            Server without = running.loop.listen(ANY, StreamTransportTest.Echo::new, ServerOptions.defaults());
            try (java.net.Socket timed = StreamTransportTest.client(withTimeout);
                    java.net.Socket plain = StreamTransportTest.client(without)) {
                byte[] message = new byte[128];
                byte[] back = new byte[128];
                echo(timed, message, back, 50_000); // warm-up: compiled code, pooled chunks
                echo(plain, message, back, 50_000);
                int messages = 100_000;
                StringBuilder pairs = new StringBuilder();
                for (int attempt = 0; attempt < 3; attempt++) {
                    long start = threads.getThreadAllocatedBytes(loopThread);
                    echo(timed, message, back, messages);
                    long middle = threads.getThreadAllocatedBytes(loopThread);
                    echo(plain, message, back, messages);
                    long end = threads.getThreadAllocatedBytes(loopThread);
                    long withBytes = middle - start;
                    long withoutBytes = end - middle;
                    pairs.append(String.format("%n  %,d bytes with the timeout, %,d without", withBytes, withoutBytes));
                    if (withBytes - withoutBytes < messages) {
                        return;
                    }
                }
                throw new AssertionError("the idle timeout allocates per message on the loop thread ("
                        + messages + " messages each):" + pairs);
            }
        }
    }

    private static void echo(java.net.Socket client, byte[] message, byte[] back, int count) throws Exception {
        OutputStream out = client.getOutputStream();
        InputStream in = client.getInputStream();
        for (int i = 0; i < count; i++) {
            message[0] = (byte) i;
            out.write(message);
            assertThat(in.readNBytes(back, 0, back.length)).isEqualTo(back.length);
            assertThat(back[0]).isEqualTo(message[0]);
        }
    }

    private static void assertTimedOut(Throwable cause) {
        assertThat(cause).as("connectionLost's cause").isInstanceOf(NativeIOException.class);
        assertThat(((NativeIOException) cause).errno()).isEqualTo(Errno.ETIMEDOUT);
    }

    /** The server's abort reaches the peer as a reset (or, read after the reset, an end of stream). */
    private static void assertPeerSeesTheEnd(java.net.Socket client) throws Exception {
        try {
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        } catch (SocketException reset) {
            assertThat(reset).hasMessageContaining("reset");
        }
    }
}
