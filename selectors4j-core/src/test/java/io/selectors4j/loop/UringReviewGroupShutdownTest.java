package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.LoopBackends;
import io.selectors4j.testkit.Proc;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Review of a LoopGroup's shutdown racing the hand-over of connections between its loops (a Unix
 * listener on the first loop hands each connection to the next loop): connections still being handed
 * over when the loops stop must be closed, not leaked, and the shutdown must complete.
 */
class UringReviewGroupShutdownTest {
    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aShutdownRacingHandOversLeaksNoSocketAndEndsEveryConnection(LoopBackend backend) throws Exception {
        Path path = Files.createTempDirectory("s4j-review").resolve("echo.sock");
        warmUpUnixChannels(path.resolveSibling("warm-up.sock"));
        int before = Proc.openSockets(Proc.SELF);
        java.util.Map<Integer, String> fdsBefore = Proc.fdTargets(Proc.SELF);
        List<SocketChannel> clients = new CopyOnWriteArrayList<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean connecting = new AtomicBoolean(true);
        CountDownLatch someServed = new CountDownLatch(20);
        LoopGroup group = LoopBackends.openGroup(3, backend);
        group.loops().forEach(loop -> loop.setCallbackErrorHandler((origin, error) -> failures.add(origin + ": " + error)));
        Server server = group.listen(UnixDomainSocketAddress.of(path), () -> new Protocol() {
            private Transport transport;

            @Override
            public void connectionMade(Transport transport) {
                this.transport = transport;
                transport.write(new byte[256 * 1024]); // a send in flight when the shutdown comes
                someServed.countDown();
            }

            @Override
            public void dataReceived(ByteBuffer data) {
                transport.write(data);
            }
        }, ServerOptions.defaults());
        Thread connector = Thread.ofPlatform().start(() -> {
            while (connecting.get()) {
                try {
                    SocketChannel channel = SocketChannel.open(server.address());
                    clients.add(channel);
                    channel.write(ByteBuffer.wrap("hello".getBytes()));
                } catch (IOException refusedOnceClosed) {
                    // the listener closed: the race is over
                }
            }
        });
        try {
            assertThat(someServed.await(20, TimeUnit.SECONDS)).isTrue();
            group.shutdown(Duration.ofMillis(200)).get(20, TimeUnit.SECONDS);
        } finally {
            connecting.set(false);
            connector.join();
        }
        for (SocketChannel client : clients) {
            assertThat(drainsToEnd(client)).as("a connection made before the shutdown ends").isTrue();
            client.close();
        }
        java.util.Map<Integer, String> fdsAfter = new java.util.TreeMap<>(Proc.fdTargets(Proc.SELF));
        fdsAfter.entrySet().removeIf(e -> e.getValue().equals(fdsBefore.get(e.getKey())));
        assertThat(Proc.openSockets(Proc.SELF)).as("sockets after the group terminated; new descriptors: %s, clients %d",
                fdsAfter, clients.size()).isLessThanOrEqualTo(before);
        assertThat(failures).isEmpty();
        assertThat(clients.size()).as("connections raced").isGreaterThan(20);
    }

    /** Makes a first Unix connection with the JDK's channels: what they set up once per JVM is not counted. */
    private static void warmUpUnixChannels(Path path) throws IOException {
        try (var listener = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(path));
            try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                    SocketChannel accepted = listener.accept()) {
                assertThat(accepted).isNotNull();
                assertThat(client.isConnected()).isTrue();
            }
        } finally {
            Files.deleteIfExists(path);
        }
    }

    /** Reads and drops what was sent until the end of stream (or a reset); false if 10 s pass first. */
    private static boolean drainsToEnd(SocketChannel client) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        client.configureBlocking(false);
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
        try (var selector = java.nio.channels.Selector.open()) {
            client.register(selector, java.nio.channels.SelectionKey.OP_READ);
            while (System.nanoTime() < deadline) {
                selector.select(100);
                sink.clear();
                if (client.read(sink) < 0) {
                    return true;
                }
            }
        } catch (IOException reset) {
            return true;
        }
        return false;
    }
}
