package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.LoopBackends;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shutdown of servers and groups completes in bounded time whatever state their loops are in: a loop
 * closed under its server, a loop of a group that stopped on its own or whose selector failed, and a
 * connection caught between two loops when the shutdown starts.
 */
class ShutdownTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration LONG_GRACE = Duration.ofSeconds(60);
    private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.US_ASCII);

    /** Says hello, then echoes. */
    private static final class Greeter extends StreamTransportTest.Echo {
        @Override
        public void connectionMade(Transport transport) {
            super.connectionMade(transport);
            transport.write(HELLO);
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aServerWhoseLoopHasClosedShutsDownAtOnce(LoopBackend backend) throws Exception {
        RunningLoop running = RunningLoop.start(backend);
        Server server = running.loop.listen(ANY, Greeter::new);
        try (java.net.Socket client = StreamTransportTest.client(server)) {
            assertThat(client.getInputStream().readNBytes(HELLO.length)).isEqualTo(HELLO);
            running.close();
            assertThat(server.shutdown(LONG_GRACE)).as("shutdown after the loop closed")
                    .succeedsWithin(Duration.ofSeconds(20));
            assertThat(server.connectionCount()).isZero();
        }
    }

    /**
     * poll reports the closed number at once (POLLNVAL), and the loop hears of it as a lost descriptor.
     * Readiness mechanics (the listener is found through the selector's keys), so on poll only.
     */
    @Test
    void aServerWhoseListenerWasClosedBehindTheLoopShutsDown() throws Exception {
        try (RunningLoop running = RunningLoop.start(LoopBackend.POLL)) {
            Server server = running.loop.listen(ANY, Greeter::new);
            int listener = running.call(() -> running.loop.selector().getMap().values().stream()
                    .filter(key -> key.data() == server).findFirst().orElseThrow().fd());
            io.selectors4j.net.Socket.adopt(listener).close(); // the number closed through another object
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (server.isServing()) {
                assertThat(System.nanoTime() - deadline).as("the dead listener is found").isNegative();
                running.call(() -> null);
                Thread.onSpinWait();
            }
            assertThat(server.shutdown(LONG_GRACE)).succeedsWithin(Duration.ofSeconds(20));
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aGroupShutsDownWhenOneOfItsLoopsStoppedOnItsOwn(LoopBackend backend) throws Exception {
        LoopGroup group = LoopBackends.openGroup(2, backend);
        Server server = group.listen(ANY, Greeter::new, ServerOptions.defaults());
        EventLoop stopped = group.loops().get(1);
        stopped.callSoon(stopped::stop); // a callback ends run(); the loop's thread closes it
        assertThat(stopped.terminationFuture()).succeedsWithin(Duration.ofSeconds(20));
        for (int i = 0; i < 4; i++) {
            assertThat(group.next()).as("next() passes over the closed loop").isNotSameAs(stopped);
        }
        try (java.net.Socket client = StreamTransportTest.client(server)) {
            assertThat(client.getInputStream().readNBytes(HELLO.length)).as("still served").isEqualTo(HELLO);
            CompletableFuture<Void> shutdown = group.shutdown(LONG_GRACE);
            assertThat(client.getInputStream().read()).as("flushed and closed").isEqualTo(-1);
            assertThat(shutdown).succeedsWithin(Duration.ofSeconds(20));
        }
        assertThat(group.terminationFuture()).isCompleted();
        group.close();
    }

    /** The failure is made by closing a readiness loop's selector under it: on the default loop only. */
    @Test
    void aGroupShutsDownWhenALoopsSelectorFailedAndSaysSo() throws Exception {
        LoopGroup group = LoopGroup.open(2);
        Server server = group.listen(ANY, Greeter::new, ServerOptions.defaults());
        EventLoop failing = group.loops().get(1);
        failing.callSoon(() -> failing.selector().close()); // the next wait fails and ends run()
        Throwable failure = failing.terminationFuture().handle((done, error) -> error).get(20, TimeUnit.SECONDS);
        assertThat(failure).as("the loop's end says why").isNotNull();
        try (java.net.Socket client = StreamTransportTest.client(server)) {
            assertThat(client.getInputStream().readNBytes(HELLO.length)).as("the other loop serves").isEqualTo(HELLO);
        }
        CompletableFuture<Void> shutdown = group.shutdown(LONG_GRACE);
        Throwable groupFailure = shutdown.handle((done, error) -> error).get(20, TimeUnit.SECONDS);
        assertThat(groupFailure).as("the group's end reports the loop's failure")
                .isInstanceOf(java.util.concurrent.CompletionException.class).hasCause(failure);
        assertThat(group.terminationFuture()).isCompletedExceptionally();
        group.close(); // returns: the failure was reported already
        assertThat(server.isServing()).isFalse();
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aGroupShutdownFlushesAConnectionThatIsBeingHandedToAnotherLoop(LoopBackend backend) throws Exception {
        Path dir = Files.createTempDirectory("s4j-shutdown");
        Path path = dir.resolve("greeter.sock");
        LoopGroup group = LoopBackends.openGroup(2, backend);
        try {
            Server server = group.listen(UnixDomainSocketAddress.of(path), Greeter::new, ServerOptions.defaults());
            EventLoop accepting = group.loops().get(0);
            CountDownLatch release = blockLoop(group.loops().get(1));
            List<SocketChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) { // round-robin: the first to the accepting loop, the second to the blocked one
                    clients.add(SocketChannel.open(server.address()));
                    awaitConnections(server, i + 1);
                }
                onLoop(accepting); // the accepting loop has handed the second over
                CompletableFuture<Void> shutdown = group.shutdown(LONG_GRACE);
                release.countDown();
                for (SocketChannel client : clients) {
                    InputStream in = Channels.newInputStream(client);
                    assertThat(readWithTimeout(client, in)).as("hello, then the end of stream, not a reset")
                            .isEqualTo("hello\n");
                }
                assertThat(shutdown).as("long before the grace ends").succeedsWithin(Duration.ofSeconds(20));
            } finally {
                release.countDown();
                for (SocketChannel client : clients) {
                    client.close();
                }
            }
        } finally {
            group.close();
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
    }

    /** Everything up to the end of stream, failing after 20 s. */
    private static String readWithTimeout(SocketChannel client, InputStream in) throws Exception {
        CompletableFuture<byte[]> all = CompletableFuture.supplyAsync(() -> {
            try {
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            return new String(all.get(20, TimeUnit.SECONDS), StandardCharsets.US_ASCII);
        } catch (java.util.concurrent.TimeoutException e) {
            client.close();
            throw new AssertionError("the connection was neither flushed nor closed within 20 s", e);
        } catch (ExecutionException e) {
            throw new AssertionError("the connection was reset instead of flushed", e.getCause());
        }
    }

    private static void awaitConnections(Server server, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.connectionCount() < count) {
            assertThat(System.nanoTime() - deadline).as("%d connections accepted", count).isNegative();
            Thread.onSpinWait();
        }
    }

    /** Waits until {@code loop} has run everything before this call. */
    private static void onLoop(EventLoop loop) throws Exception {
        CompletableFuture<Void> ran = new CompletableFuture<>();
        loop.callSoon(() -> ran.complete(null));
        ran.get(20, TimeUnit.SECONDS);
    }

    /** Keeps {@code loop}'s thread busy in a callback until the returned latch is counted down. */
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
}
