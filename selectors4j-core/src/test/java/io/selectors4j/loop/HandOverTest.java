package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.testkit.LoopBackends;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Work handed to a loop from other threads: kept in call order up to a close, run on the loop thread
 * even while that thread is still starting, counted by back-pressure, and refused once the loop is closed.
 */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class HandOverTest {
    private static final InetSocketAddress ANY_V4 = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    @Test
    void aWriteThenCloseFromAnotherThreadSendsTheBytesBeforeClosing() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            CompletableFuture<Transport> made = new CompletableFuture<>();
            Server server = listenHandingOverTransports(running, made);
            try (java.net.Socket client = new java.net.Socket()) {
                client.connect(server.address());
                client.setSoTimeout((int) RunningLoop.WAIT.toMillis());
                Transport transport = made.get(20, TimeUnit.SECONDS);
                CountDownLatch release = blockLoop(running.loop); // so that both calls wait in its queue
                transport.write("hello".getBytes(StandardCharsets.US_ASCII), 0, 5); // not on the loop thread
                transport.close();
                release.countDown();
                InputStream in = client.getInputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");
            }
            server.close();
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void aSendThenCloseFromAnotherThreadSendsTheDatagram() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend);
                DatagramSocket peer = new DatagramSocket(ANY_V4)) {
            peer.setSoTimeout((int) RunningLoop.WAIT.toMillis());
            CompletableFuture<Throwable> lost = new CompletableFuture<>();
            DatagramTransport endpoint = running.loop.openDatagram(ANY_V4, () -> new DatagramProtocol() {
                @Override
                public void connectionLost(Throwable cause) {
                    lost.complete(cause);
                }
            });
            CountDownLatch release = blockLoop(running.loop); // so that both calls wait in its queue
            endpoint.sendTo("ping".getBytes(StandardCharsets.US_ASCII), 0, 4, peer.getLocalSocketAddress());
            endpoint.close();
            release.countDown();
            DatagramPacket packet = new DatagramPacket(new byte[16], 16);
            peer.receive(packet);
            assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII))
                    .isEqualTo("ping");
            assertThat(lost.get(20, TimeUnit.SECONDS)).isNull();
        }
    }

    @Test
    void connectRightAfterStartingTheLoopThreadRunsTheProtocolOnTheLoopThread() throws Exception {
        Path dir = Files.createTempDirectory("s4j-handover");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("server.sock"));
        try (RunningLoop serving = RunningLoop.start(backend)) {
            Server server = serving.loop.listen(address, () -> new Protocol() { });
            for (int i = 0; i < 30; i++) {
                EventLoop loop = LoopBackends.open(backend);
                String name = "starting-loop-" + i;
                Thread thread = Thread.ofPlatform().name(name).start(loop::run);
                CompletableFuture<String> where = new CompletableFuture<>();
                loop.connect(address, () -> new Protocol() {
                    @Override
                    public void connectionMade(Transport transport) {
                        where.complete(Thread.currentThread().getName());
                        transport.abort();
                    }
                }, Duration.ofSeconds(20));
                assertThat(where.get(20, TimeUnit.SECONDS)).as("try %d", i).isEqualTo(name);
                loop.stop();
                thread.join(RunningLoop.WAIT.toMillis());
                loop.close();
            }
            server.close();
        } finally {
            Files.deleteIfExists(dir.resolve("server.sock"));
            Files.delete(dir);
        }
    }

    @Test
    void closeRacingTheStartOfRunEitherRefusesRunOrIsRefused() throws Exception {
        for (int i = 0; i < 50; i++) {
            EventLoop loop = LoopBackends.open(backend);
            CompletableFuture<Throwable> ran = new CompletableFuture<>();
            Thread thread = Thread.ofPlatform().start(() -> {
                try {
                    loop.run();
                    ran.complete(null);
                } catch (Throwable e) {
                    ran.complete(e);
                }
            });
            try {
                loop.close();
            } catch (IllegalStateException running) {
                loop.stop(); // run() started first: stop it, then close
                thread.join(RunningLoop.WAIT.toMillis());
                loop.close();
            }
            loop.stop();
            thread.join(RunningLoop.WAIT.toMillis());
            Throwable outcome = ran.get(20, TimeUnit.SECONDS);
            if (outcome != null) {
                assertThat(outcome).as("try %d", i).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("closed");
            }
            assertThat(loop.isClosed()).isTrue();
        }
    }

    @Test
    void aClosedLoopRefusesWorkInsteadOfKeepingIt() throws Exception {
        EventLoop loop = LoopBackends.open(backend);
        loop.close();
        assertThatThrownBy(() -> loop.callSoon(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> loop.callLater(Duration.ZERO, () -> { }))
                .isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> loop.callAt(loop.time(), () -> { }))
                .isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aConnectionHandedToAClosedLoopIsClosedAndCountedOut() throws Exception {
        EventLoop dead = LoopBackends.open(backend);
        dead.close();
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.call(() -> StreamServer.open(running.loop, ANY_V4, () -> new Protocol() { },
                    ServerOptions.defaults(), () -> dead, new ConnectionLimit(1)));
            for (int i = 0; i < 3; i++) { // with a limit of one, a leaked place would stop the second
                try (java.net.Socket client = new java.net.Socket()) {
                    client.connect(server.address());
                    client.setSoTimeout((int) RunningLoop.WAIT.toMillis());
                    assertThat(client.getInputStream().read()).as("the server closes connection %d", i)
                            .isEqualTo(-1);
                }
            }
            assertThat(running.call(server::connectionCount)).isZero();
            running.call(() -> {
                server.close();
                return null;
            });
        }
    }

    @Test
    void writesFromAnotherThreadCountInTheWriteBufferUntilTheLoopTakesThem() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            CompletableFuture<Transport> made = new CompletableFuture<>();
            Server server = listenHandingOverTransports(running, made);
            try (java.net.Socket client = new java.net.Socket()) {
                client.connect(server.address());
                Transport transport = made.get(20, TimeUnit.SECONDS);
                CountDownLatch release = blockLoop(running.loop);
                byte[] chunk = new byte[10_000];
                for (int i = 0; i < 10; i++) {
                    transport.write(chunk, 0, chunk.length);
                }
                assertThat(transport.writeBufferSize()).as("bytes waiting for the busy loop").isEqualTo(100_000);
                release.countDown();
                client.setSoTimeout((int) RunningLoop.WAIT.toMillis());
                client.getInputStream().readNBytes(100_000);
                transport.close();
            }
            server.close();
        }
    }

    /** Keeps the loop thread busy in a callback until the returned latch is counted down. */
    private static CountDownLatch blockLoop(EventLoop loop) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        loop.callSoon(() -> {
            blocked.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(blocked.await(20, TimeUnit.SECONDS)).as("the loop is busy").isTrue();
        return release;
    }

    /** A server on the running loop whose connections' transports complete {@code made}. */
    private static Server listenHandingOverTransports(RunningLoop running, CompletableFuture<Transport> made)
            throws IOException {
        return running.loop.listen(ANY_V4, () -> new Protocol() {
            @Override
            public void connectionMade(Transport transport) {
                made.complete(transport);
            }
        });
    }
}
