package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.LoopBackends;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A group of loops serving many clients over SO_REUSEPORT listeners, and over one Unix acceptor. */
class LoopGroupTest {
    private static final int BYTES_PER_CLIENT = 32 * 1024;

    /** An echo protocol that counts its connections per loop. */
    private static Protocol countingEcho(Map<EventLoop, AtomicInteger> perLoop) {
        return new StreamTransportTest.Echo() {
            @Override
            public void connectionMade(Transport transport) {
                super.connectionMade(transport);
                assertThat(transport.loop().inLoop()).isTrue();
                perLoop.computeIfAbsent(transport.loop(), l -> new AtomicInteger()).incrementAndGet();
            }
        };
    }

    private static byte[] pattern(int client) {
        byte[] data = new byte[BYTES_PER_CLIENT];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (client * 31 + i * 7 + (i >> 8));
        }
        return data;
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.ALL)
    void everyLoopWaitsWithTheBackendAskedFor(LoopBackend backend) throws Exception {
        try (LoopGroup group = LoopBackends.openGroup(2, backend)) {
            if (LoopBackends.isReadiness(backend)) { // an io_uring loop has no selector backend to report
                assertThat(group.loops()).extracting(EventLoop::backend)
                        .containsOnly(backend.selectorBackend().orElseThrow()).hasSize(2);
            }
            Server server = group.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    StreamTransportTest.Echo::new, ServerOptions.defaults());
            try (java.net.Socket client = new java.net.Socket()) {
                client.connect(server.address());
                client.getOutputStream().write(new byte[] {'h', 'i'});
                client.setSoTimeout(10_000);
                assertThat(client.getInputStream().readNBytes(2)).as("echo on %s", backend).containsExactly('h', 'i');
            }
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void fourLoopsServeTwoHundredClientsWithEveryByteChecked(LoopBackend backend) throws Exception {
        Map<EventLoop, AtomicInteger> perLoop = new ConcurrentHashMap<>();
        try (LoopGroup group = LoopBackends.openGroup(4, backend)) {
            assertThat(group.loops()).hasSize(4);
            Server server = group.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    () -> countingEcho(perLoop), ServerOptions.defaults().withBacklog(256));
            int clients = 200;
            List<java.net.Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    sockets.add(StreamTransportTest.client(server));
                }
                ExecutorService pool = Executors.newFixedThreadPool(8);
                List<Future<?>> results = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    int client = i;
                    java.net.Socket socket = sockets.get(i);
                    results.add(pool.submit(() -> {
                        byte[] sent = pattern(client);
                        OutputStream out = socket.getOutputStream();
                        InputStream in = socket.getInputStream();
                        for (int off = 0; off < sent.length; off += 4096) {
                            out.write(sent, off, 4096);
                        }
                        assertThat(in.readNBytes(sent.length)).isEqualTo(sent);
                        return null;
                    }));
                }
                pool.shutdown();
                for (Future<?> result : results) {
                    result.get(60, TimeUnit.SECONDS);
                }
                assertThat(server.connectionCount()).isEqualTo(clients);
            } finally {
                for (java.net.Socket socket : sockets) {
                    socket.close();
                }
            }
            assertThat(perLoop.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(clients);
            assertThat(perLoop).as("the kernel spread connections over every listener").hasSize(4);
            group.shutdown(Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS);
            assertThat(server.isServing()).isFalse();
        }
        for (EventLoop loop : perLoop.keySet()) {
            assertThat(loop.isClosed()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void maxConnectionsIsOneLimitForAllTheGroupsListeners(LoopBackend backend) throws Exception {
        try (LoopGroup group = LoopBackends.openGroup(3, backend)) {
            Server server = group.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    StreamTransportTest.Echo::new, ServerOptions.defaults().withMaxConnections(4));
            List<java.net.Socket> clients = new ArrayList<>();
            java.util.concurrent.BlockingQueue<java.net.Socket> served = new java.util.concurrent.LinkedBlockingQueue<>();
            try {
                for (int i = 0; i < 12; i++) {
                    java.net.Socket client = StreamTransportTest.client(server);
                    client.getOutputStream().write(i);
                    clients.add(client);
                    Thread.ofVirtual().start(() -> { // one reader per client: it reports the echo
                        try {
                            if (client.getInputStream().read() >= 0) {
                                served.add(client);
                            }
                        } catch (java.io.IOException closedByTheTest) {
                            // the test is over
                        }
                    });
                }
                List<java.net.Socket> first = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    first.add(served.poll(20, TimeUnit.SECONDS));
                }
                assertThat(first).doesNotContainNull();
                assertThat(served.poll(300, TimeUnit.MILLISECONDS)).as("no fifth connection served").isNull();
                assertThat(server.connectionCount()).isEqualTo(4);
                first.get(0).close();
                first.get(1).close();
                assertThat(served.poll(20, TimeUnit.SECONDS)).isNotNull();
                assertThat(served.poll(20, TimeUnit.SECONDS)).isNotNull();
                assertThat(served.poll(300, TimeUnit.MILLISECONDS)).as("two places freed, two more served").isNull();
            } finally {
                for (java.net.Socket client : clients) {
                    client.close();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aUnixListenerHandsConnectionsToTheLoopsRoundRobin(LoopBackend backend) throws Exception {
        Map<EventLoop, AtomicInteger> perLoop = new ConcurrentHashMap<>();
        Path path = Files.createTempDirectory("s4j-group").resolve("echo.sock");
        try (LoopGroup group = LoopBackends.openGroup(3, backend)) {
            Server server = group.listen(UnixDomainSocketAddress.of(path), () -> countingEcho(perLoop),
                    ServerOptions.defaults());
            for (int i = 0; i < 30; i++) {
                try (SocketChannel channel = SocketChannel.open(server.address())) {
                    byte[] sent = pattern(i);
                    channel.write(ByteBuffer.wrap(sent));
                    ByteBuffer back = ByteBuffer.allocate(sent.length);
                    while (back.hasRemaining()) {
                        assertThat(channel.read(back)).isNotNegative();
                    }
                    assertThat(back.array()).isEqualTo(sent);
                }
            }
            assertThat(perLoop).hasSize(3);
            assertThat(perLoop.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(10));
        }
        assertThat(path).doesNotExist();
    }
}
