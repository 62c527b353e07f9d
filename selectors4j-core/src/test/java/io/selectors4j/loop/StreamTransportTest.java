package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.testkit.LoopBackends;
import io.selectors4j.testkit.Needs;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Stream connections over real loopback sockets: echo, half-close, reset, ordering, back-pressure. */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class StreamTransportTest {
    private static final InetSocketAddress ANY_V4 = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    /** Echoes every byte; records what happened. */
    static class Echo implements Protocol {
        final CompletableFuture<Transport> made = new CompletableFuture<>();
        final CompletableFuture<Throwable> lost = new CompletableFuture<>();
        final CountDownLatch eof = new CountDownLatch(1);
        volatile boolean keepOpenOnEof;
        Transport transport;

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
            made.complete(transport);
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }

        @Override
        public boolean eofReceived() {
            eof.countDown();
            return keepOpenOnEof;
        }

        @Override
        public void connectionLost(Throwable cause) {
            lost.complete(cause == null ? new NoError() : cause);
        }
    }

    /** Marks an orderly connectionLost(null) in a future. */
    static final class NoError extends Throwable {
        private static final long serialVersionUID = 1L;

        NoError() {
            super(null, null, false, false);
        }
    }

    static java.net.Socket client(Server server) throws Exception {
        java.net.Socket socket = new java.net.Socket();
        socket.connect(server.address(), 10_000);
        socket.setSoTimeout(20_000);
        return socket;
    }

    static byte[] readFully(InputStream in, int n) throws Exception {
        byte[] data = in.readNBytes(n);
        assertThat(data).hasSize(n);
        return data;
    }

    @Test
    void echoesOverIpv4Ipv6AndUnixSockets() throws Exception {
        InetAddress ipv6 = Needs.ipv6Loopback();
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server v4 = running.loop.listen(ANY_V4, Echo::new);
            Server v6 = running.loop.listen(new InetSocketAddress(ipv6, 0), Echo::new);
            for (Server server : new Server[] {v4, v6}) {
                try (java.net.Socket socket = client(server)) {
                    socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                    assertThat(readFully(socket.getInputStream(), 5)).asString().isEqualTo("hello");
                }
            }
            java.nio.file.Path path = java.nio.file.Files.createTempDirectory("s4j-loop").resolve("echo.sock");
            Server unix = running.loop.listen(java.net.UnixDomainSocketAddress.of(path), Echo::new);
            try (java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open(unix.address())) {
                channel.write(ByteBuffer.wrap("unix".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer back = ByteBuffer.allocate(4);
                while (back.hasRemaining() && channel.read(back) >= 0) {
                    // until four bytes came back
                }
                assertThat(new String(back.array(), StandardCharsets.US_ASCII)).isEqualTo("unix");
            }
            unix.close();
            running.call(() -> null); // the close was handed to the loop before this
            assertThat(path).doesNotExist();
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void listenErrorsAreThrownOnTheCallersThread() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY_V4, Echo::new);
            assertThatThrownBy(() -> running.loop.listen(server.address(), Echo::new))
                    .isInstanceOf(io.selectors4j.NativeIOException.class)
                    .hasMessageContaining("EADDRINUSE");
        }
    }

    @Test
    void peerHalfCloseIsReportedAndTheProtocolMayKeepWriting() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            BlockingQueue<Echo> made = new LinkedBlockingQueue<>();
            Server server = running.loop.listen(ANY_V4, () -> {
                Echo echo = new Echo() {
                    @Override
                    public boolean eofReceived() {
                        super.eofReceived();
                        transport.write("bye".getBytes(StandardCharsets.US_ASCII));
                        transport.close();
                        return true;
                    }
                };
                made.add(echo);
                return echo;
            });
            try (java.net.Socket socket = client(server)) {
                socket.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
                socket.shutdownOutput();
                byte[] all = socket.getInputStream().readAllBytes();
                assertThat(new String(all, StandardCharsets.US_ASCII)).isEqualTo("abcbye");
            }
            Echo echo = made.poll(20, TimeUnit.SECONDS);
            assertThat(echo.eof.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(echo.lost.get(20, TimeUnit.SECONDS)).isInstanceOf(NoError.class);
        }
    }

    @Test
    void writeEofHalfClosesOurSideAndWeStillRead() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            CountDownLatch gotAll = new CountDownLatch(1);
            Server server = running.loop.listen(ANY_V4, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    transport.write("only this".getBytes(StandardCharsets.US_ASCII));
                    transport.writeEof();
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    received.writeBytes(bytes);
                    if (received.size() == 5) {
                        gotAll.countDown();
                    }
                }
            });
            try (java.net.Socket socket = client(server)) {
                byte[] all = socket.getInputStream().readAllBytes(); // ends at our peer's FIN
                assertThat(new String(all, StandardCharsets.US_ASCII)).isEqualTo("only this");
                socket.getOutputStream().write("after".getBytes(StandardCharsets.US_ASCII));
                assertThat(gotAll.await(20, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(received.toString(StandardCharsets.US_ASCII)).isEqualTo("after");
        }
    }

    @Test
    void abortIsSeenAsAResetByThePeer() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Echo echo = new Echo();
            Server server = running.loop.listen(ANY_V4, () -> new Echo() {
                @Override
                public void dataReceived(ByteBuffer data) {
                    transport.write(new byte[1000]);
                    transport.abort();
                }

                @Override
                public void connectionLost(Throwable cause) {
                    echo.connectionLost(cause);
                }
            });
            try (java.net.Socket socket = client(server)) {
                socket.getOutputStream().write('!'); // the server aborts when this arrives
                assertThat(echo.lost.get(20, TimeUnit.SECONDS)).isInstanceOf(NoError.class);
                assertThatThrownBy(() -> {
                    InputStream in = socket.getInputStream();
                    while (in.read() >= 0) {
                        // a reset must end this with an exception, not a clean end of stream
                    }
                }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
            }
        }
    }

    @Test
    void peerResetEndsTheConnectionWithTheError() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Echo echo = new Echo();
            Server server = running.loop.listen(ANY_V4, () -> echo);
            java.net.Socket socket = client(server);
            echo.made.get(20, TimeUnit.SECONDS);
            socket.setSoLinger(true, 0);
            socket.close();
            Throwable cause = echo.lost.get(20, TimeUnit.SECONDS);
            assertThat(cause).isInstanceOf(io.selectors4j.NativeIOException.class);
            assertThat(((io.selectors4j.NativeIOException) cause).errno()).isEqualTo(io.selectors4j.Errno.ECONNRESET);
            assertThat(echo.transport.isClosing()).isTrue();
        }
    }

    @Test
    void writesFromAnotherThreadArriveInOrder() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Echo echo = new Echo();
            Server server = running.loop.listen(ANY_V4, () -> echo);
            try (java.net.Socket socket = client(server)) {
                Transport transport = echo.made.get(20, TimeUnit.SECONDS);
                int messages = 20_000;
                Thread writer = Thread.ofPlatform().start(() -> {
                    byte[] buffer = new byte[4];
                    for (int i = 0; i < messages; i++) {
                        ByteBuffer.wrap(buffer).putInt(i);
                        if (i % 2 == 0) {
                            transport.write(buffer);
                        } else {
                            transport.write(ByteBuffer.wrap(buffer));
                        }
                        // the array is reused at once: the transport must have copied it
                    }
                });
                ByteBuffer all = ByteBuffer.wrap(readFully(socket.getInputStream(), messages * 4));
                writer.join();
                for (int i = 0; i < messages; i++) {
                    assertThat(all.getInt()).isEqualTo(i);
                }
            }
        }
    }

    @Test
    void writesRacingFromFourThreadsKeepEachThreadsOrderAndLoseNothing() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Echo echo = new Echo();
            Server server = running.loop.listen(ANY_V4, () -> echo);
            try (java.net.Socket socket = client(server)) {
                Transport transport = echo.made.get(20, TimeUnit.SECONDS);
                int threads = 4;
                int perThread = 5000;
                CountDownLatch go = new CountDownLatch(1);
                java.util.List<Thread> writers = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    writers.add(Thread.ofPlatform().start(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        ByteBuffer record = ByteBuffer.allocate(8);
                        for (int i = 0; i < perThread; i++) {
                            record.clear().putInt(id).putInt(i).flip();
                            transport.write(record);
                        }
                    }));
                }
                running.loop.callSoon(() -> transport.write(new byte[0])); // the loop thread writes too
                go.countDown();
                ByteBuffer all = ByteBuffer.wrap(readFully(socket.getInputStream(), threads * perThread * 8));
                int[] next = new int[threads];
                while (all.hasRemaining()) {
                    int id = all.getInt();
                    assertThat(all.getInt()).as("record of writer %d", id).isEqualTo(next[id]++);
                }
                assertThat(next).containsOnly(perThread);
                for (Thread writer : writers) {
                    writer.join();
                }
            }
        }
    }

    @Test
    void aPeerThatStopsReadingPausesWritingAndTheQueueStaysBounded() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            CountDownLatch paused = new CountDownLatch(1);
            CountDownLatch resumed = new CountDownLatch(1);
            AtomicReference<Long> maxQueued = new AtomicReference<>(0L);
            long total = 16L * 1024 * 1024;
            Server server = running.loop.listen(ANY_V4, () -> new Protocol() {
                Transport transport;
                long written;
                boolean canWrite = true;

                @Override
                public void connectionMade(Transport transport) {
                    this.transport = transport;
                    produce();
                }

                private void produce() {
                    byte[] block = new byte[8192];
                    while (canWrite && written < total) {
                        for (int i = 0; i < block.length; i++) {
                            block[i] = (byte) (written + i);
                        }
                        transport.write(block);
                        written += block.length;
                        maxQueued.accumulateAndGet(transport.writeBufferSize(), Math::max);
                    }
                    if (written >= total) {
                        transport.close();
                    }
                }

                @Override
                public void pauseWriting() {
                    canWrite = false;
                    paused.countDown();
                }

                @Override
                public void resumeWriting() {
                    canWrite = true;
                    resumed.countDown();
                    transport.loop().callSoon(this::produce);
                }
            });
            try (java.net.Socket socket = client(server)) {
                assertThat(paused.await(20, TimeUnit.SECONDS)).as("pauseWriting at the high mark").isTrue();
                assertThat(resumed.getCount()).isEqualTo(1);
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[65536];
                long read = 0;
                int n;
                while ((n = in.read(buffer)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] != (byte) (read + i)) {
                            throw new AssertionError("byte " + (read + i) + " is wrong");
                        }
                    }
                    read += n;
                }
                assertThat(read).isEqualTo(total);
                assertThat(resumed.await(0, TimeUnit.SECONDS)).as("resumeWriting after draining").isTrue();
            }
            assertThat(maxQueued.get()).isLessThanOrEqualTo(StreamTransport.DEFAULT_HIGH_WATER + 8192L);
        }
    }

    @Test
    void shutdownFlushesQueuedDataBeforeClosing() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            int size = 4 * 1024 * 1024;
            CountDownLatch queued = new CountDownLatch(1);
            Server server = running.loop.listen(ANY_V4, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    byte[] data = new byte[size];
                    for (int i = 0; i < size; i++) {
                        data[i] = (byte) (i * 7);
                    }
                    transport.write(data);
                    queued.countDown();
                }
            });
            try (java.net.Socket socket = client(server)) {
                assertThat(queued.await(20, TimeUnit.SECONDS)).isTrue();
                CompletableFuture<Void> done = server.shutdown(Duration.ofSeconds(30));
                assertThat(server.isServing()).isFalse();
                byte[] all = socket.getInputStream().readAllBytes();
                assertThat(all).hasSize(size);
                for (int i = 0; i < size; i++) {
                    if (all[i] != (byte) (i * 7)) {
                        throw new AssertionError("byte " + i + " is wrong");
                    }
                }
                done.get(20, TimeUnit.SECONDS);
                assertThat(server.connectionCount()).isZero();
            }
        }
    }

    @Test
    void shutdownAbortsConnectionsStillOpenAfterTheGrace() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY_V4, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    transport.write(new byte[32 * 1024 * 1024]); // more than the peer will ever read
                }
            });
            try (java.net.Socket socket = client(server)) {
                while (server.connectionCount() == 0) {
                    Thread.onSpinWait();
                }
                server.shutdown(Duration.ofMillis(200)).get(20, TimeUnit.SECONDS);
                assertThat(server.connectionCount()).isZero();
                OutputStream out = socket.getOutputStream();
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 100; i++) {
                        out.write(new byte[1024]);
                        socket.getInputStream().readAllBytes();
                    }
                }).isInstanceOf(SocketException.class);
            }
        }
    }

    @Test
    void maxConnectionsPausesAcceptingUntilOneCloses() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY_V4, Echo::new, ServerOptions.defaults().withMaxConnections(2));
            try (java.net.Socket first = client(server); java.net.Socket second = client(server);
                    java.net.Socket third = client(server)) {
                for (java.net.Socket s : new java.net.Socket[] {first, second}) {
                    s.getOutputStream().write(1);
                    assertThat(s.getInputStream().read()).isEqualTo(1);
                }
                third.getOutputStream().write(3);
                third.setSoTimeout(500);
                assertThatThrownBy(() -> third.getInputStream().read())
                        .isInstanceOf(java.net.SocketTimeoutException.class);
                assertThat(server.connectionCount()).isEqualTo(2);
                first.close();
                third.setSoTimeout(20_000);
                assertThat(third.getInputStream().read()).as("served once a slot freed").isEqualTo(3);
            }
        }
    }
}
