package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.testkit.LoopBackends;
import io.selectors4j.testkit.Needs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Non-blocking connect: success, refusal and timeout, all on loopback. */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class ConnectTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    @Test
    void connectsAndTalksToAServerOnTheSameLoop() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(new InetSocketAddress(LOOPBACK, 0), StreamTransportTest.Echo::new);
            CompletableFuture<String> reply = new CompletableFuture<>();
            Transport transport = running.loop.connect(server.address(), () -> new Protocol() {
                @Override
                public void dataReceived(java.nio.ByteBuffer data) {
                    reply.complete(StandardCharsets.US_ASCII.decode(data).toString());
                }
            }, Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
            assertThat(transport.peerAddress()).isEqualTo(server.address());
            transport.write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(reply.get(20, TimeUnit.SECONDS)).isEqualTo("ping");
            transport.close();
        }
    }

    @Test
    void connectsOverIpv6AndUnixSockets() throws Exception {
        InetAddress ipv6 = Needs.ipv6Loopback();
        java.nio.file.Path path = java.nio.file.Files.createTempDirectory("s4j-connect").resolve("echo.sock");
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server v6 = running.loop.listen(new InetSocketAddress(ipv6, 0),
                    StreamTransportTest.Echo::new);
            Server unix = running.loop.listen(java.net.UnixDomainSocketAddress.of(path), StreamTransportTest.Echo::new);
            for (Server server : List.of(v6, unix)) {
                CompletableFuture<String> reply = new CompletableFuture<>();
                Transport transport = running.loop.connect(server.address(), () -> new Protocol() {
                    @Override
                    public void dataReceived(java.nio.ByteBuffer data) {
                        reply.complete(StandardCharsets.US_ASCII.decode(data).toString());
                    }
                }, Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
                transport.write(("over " + server.address()).getBytes(StandardCharsets.US_ASCII));
                assertThat(reply.get(20, TimeUnit.SECONDS)).isEqualTo("over " + server.address());
                transport.close();
            }
            unix.close();
        }
    }

    @Test
    void aRefusedConnectFailsTheFutureWithEconnrefused() throws Exception {
        InetSocketAddress closed;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, LOOPBACK)) {
            closed = new InetSocketAddress(LOOPBACK, probe.getLocalPort());
        }
        try (RunningLoop running = RunningLoop.start(backend)) {
            CompletableFuture<Transport> future = running.loop.connect(closed, () -> new Protocol() {
            }, Duration.ofSeconds(10));
            assertThatThrownBy(() -> future.get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(NativeIOException.class)
                    .satisfies(e -> assertThat(((NativeIOException) e).errno()).isEqualTo(Errno.ECONNREFUSED));
            assertNothingRegistered(running);
        }
    }

    /**
     * A connect that cannot complete: a listener with backlog 0 that never accepts holds one connection
     * in its queue; once that is full the kernel drops further SYNs, so a new connect stays in
     * SYN_SENT (retrying after a second and more) and our timeout must end it.
     */
    @Test
    void aConnectThatCannotCompleteTimesOut() throws Exception {
        try (io.selectors4j.net.Socket listener = io.selectors4j.net.Socket.listenTcp(new InetSocketAddress(LOOPBACK, 0), 0);
                RunningLoop running = RunningLoop.start(backend)) {
            InetSocketAddress address = (InetSocketAddress) listener.localAddress();
            List<java.net.Socket> fillers = new ArrayList<>();
            try {
                boolean full = false;
                for (int i = 0; i < 16 && !full; i++) {
                    java.net.Socket filler = new java.net.Socket();
                    fillers.add(filler);
                    try {
                        filler.connect(address, 500);
                    } catch (SocketTimeoutException e) {
                        full = true;
                    }
                }
                assertThat(full).as("the listener's queue filled up").isTrue();
                long start = System.nanoTime();
                CompletableFuture<Transport> future = running.loop.connect(address, () -> new Protocol() {
                }, Duration.ofMillis(300));
                assertThatThrownBy(() -> future.get(20, TimeUnit.SECONDS))
                        .cause().isInstanceOf(NativeIOException.class)
                        .satisfies(e -> assertThat(((NativeIOException) e).errno()).isEqualTo(Errno.ETIMEDOUT));
                assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
                assertNothingRegistered(running);
            } finally {
                for (java.net.Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void cancellingTheFutureAbandonsTheAttempt() throws Exception {
        try (io.selectors4j.net.Socket listener = io.selectors4j.net.Socket.listenTcp(new InetSocketAddress(LOOPBACK, 0), 0);
                RunningLoop running = RunningLoop.start(backend)) {
            InetSocketAddress address = (InetSocketAddress) listener.localAddress();
            List<java.net.Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    java.net.Socket filler = new java.net.Socket();
                    fillers.add(filler);
                    try {
                        filler.connect(address, 500);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                }
                CompletableFuture<Transport> future = running.loop.connect(address, () -> new Protocol() {
                }, null);
                if (LoopBackends.isReadiness(backend)) {
                    assertThat(running.call(() -> running.loop.selector().getMap().size())).isEqualTo(1);
                }
                future.cancel(false);
                assertNothingRegistered(running);
            } finally {
                for (java.net.Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    /**
     * A readiness loop has no selector key left for the failed or abandoned attempt: its socket is
     * closed and unregistered. An io_uring loop keeps no registrations to count.
     */
    private void assertNothingRegistered(RunningLoop running) throws Exception {
        if (LoopBackends.isReadiness(backend)) {
            assertThat(running.call(() -> running.loop.selector().getMap().size()))
                    .as("the abandoned socket is closed and unregistered").isZero();
        }
    }
}
