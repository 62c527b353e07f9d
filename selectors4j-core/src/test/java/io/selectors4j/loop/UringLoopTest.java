package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.net.Pipe;
import io.selectors4j.sys.IoUringRefusal;
import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.Needs;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The io_uring loop: it opens where io_uring works and refuses in one line where it does not; its
 * wait ends for timers, for work handed over by other threads and for descriptor watches; it serves,
 * connects and exchanges datagrams like the readiness loop.
 */
class UringLoopTest {
    private static final InetSocketAddress ANY_V4 = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @AfterEach
    void clearForcedRefusal() {
        System.clearProperty(IoUringRefusal.FORCE_PROPERTY);
    }

    @Test
    void aLoopOnIoUringSaysSo() throws Exception {
        try (UringLoops running = UringLoops.start()) {
            assertThat(running.loop.loopBackend()).isEqualTo(LoopBackend.IO_URING);
        }
        try (EventLoop readiness = EventLoop.open()) {
            assertThat(readiness.loopBackend()).isEqualTo(LoopBackend.best()).isNotEqualTo(LoopBackend.IO_URING);
        }
    }

    @Test
    void forbiddenIoUringRefusesTheLoopInOneLine() {
        System.setProperty(IoUringRefusal.FORCE_PROPERTY, "EPERM");
        assertThatThrownBy(() -> EventLoop.open(LoopBackend.IO_URING)).isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("io_uring is forbidden"));
        assertThatThrownBy(() -> LoopGroup.open(2, LoopBackend.IO_URING)).isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("io_uring is forbidden"));
    }

    @Test
    void theDefaultLoopStaysOnReadinessWhenIoUringIsForbidden() throws Exception {
        System.setProperty(IoUringRefusal.FORCE_PROPERTY, "EPERM");
        try (EventLoop loop = EventLoop.open()) {
            assertThat(loop.loopBackend()).isNotEqualTo(LoopBackend.IO_URING);
        }
    }

    @Test
    void timersEndTheWaitInDeadlineOrder() throws Exception {
        try (UringLoops running = UringLoops.start()) {
            StringBuilder order = new StringBuilder();
            CountDownLatch done = new CountDownLatch(1);
            long start = System.nanoTime();
            running.loop.callLater(Duration.ofMillis(60), () -> {
                order.append('b');
                done.countDown();
            });
            running.loop.callLater(Duration.ofMillis(20), () -> order.append('a'));
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(60).toNanos());
            assertThat(running.call(order::toString)).isEqualTo("ab");
        }
    }

    @Test
    void anotherThreadWakesTheSleepingLoop() throws Exception {
        try (UringLoops running = UringLoops.start()) {
            for (int i = 0; i < 100; i++) {
                CompletableFuture<Thread> ran = new CompletableFuture<>();
                running.loop.callSoon(() -> ran.complete(Thread.currentThread()));
                assertThat(ran.get(20, TimeUnit.SECONDS).getName()).isEqualTo("uring-test-loop");
            }
        }
    }

    @Test
    void aReaderWatchIsLevelTriggered() throws Exception {
        try (UringLoops running = UringLoops.start(); Pipe pipe = Pipe.open()) {
            CountDownLatch calls = new CountDownLatch(3);
            running.call(() -> {
                running.loop.addReader(pipe.source(), calls::countDown); // never reads: stays readable
                return null;
            });
            pipe.sink().write(new byte[] {1});
            assertThat(calls.await(20, TimeUnit.SECONDS)).as("called again while still readable").isTrue();
            assertThat(running.call(() -> running.loop.removeReader(pipe.source()))).isTrue();
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void servesAnEchoAndConnectsToIt() throws Exception {
        try (UringLoops running = UringLoops.start()) {
            Server server = running.loop.listen(ANY_V4, Echo::new);
            int port = ((InetSocketAddress) server.address()).getPort();
            try (Socket client = Clients.connect(port)) {
                Clients.assertEchoes(client, 200_000);
            }
            CompletableFuture<String> answer = new CompletableFuture<>();
            Transport transport = running.loop.connect(server.address(), () -> new Protocol() {
                @Override
                public void dataReceived(ByteBuffer data) {
                    answer.complete(StandardCharsets.US_ASCII.decode(data).toString());
                }
            }, Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS);
            transport.write("ping".getBytes(StandardCharsets.US_ASCII), 0, 4);
            assertThat(answer.get(20, TimeUnit.SECONDS)).isEqualTo("ping");
            transport.close();
            server.close();
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void exchangesDatagrams() throws Exception {
        try (UringLoops running = UringLoops.start(); DatagramSocket peer = new DatagramSocket(ANY_V4)) {
            peer.setSoTimeout(20_000);
            DatagramTransport endpoint = running.loop.openDatagram(ANY_V4, () -> new DatagramProtocol() {
                private DatagramTransport self;

                @Override
                public void connectionMade(DatagramTransport transport) {
                    self = transport;
                }

                @Override
                public void datagramReceived(ByteBuffer data, java.net.SocketAddress from) {
                    byte[] copy = new byte[data.remaining()];
                    data.get(copy);
                    self.sendTo(copy, 0, copy.length, from);
                }
            });
            byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
            peer.send(new DatagramPacket(hello, hello.length, endpoint.localAddress()));
            DatagramPacket back = new DatagramPacket(new byte[16], 16);
            peer.receive(back);
            assertThat(new String(back.getData(), 0, back.getLength(), StandardCharsets.US_ASCII)).isEqualTo("hello");
            endpoint.close();
        }
    }

    /** Writes back what it receives. */
    static final class Echo implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }
}
