package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.LoopBackends;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Peers that do not play TLS: silent, garbage, a handshake stopped half-way. Each is dropped with its
 * slot freed and one line saying why, and the server goes on serving.
 */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class TlsHostilePeerTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    /** Long enough for the server's first flight even on a loaded machine, short for a test. */
    private static final Duration HALF_WAY = Duration.ofSeconds(2);

    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    /**
     * A TLS echo server that puts every handshake failure in a queue, after one full handshake, so that
     * the first one's start-up (class loading, the JIT) does not count against the short timeout.
     */
    private static Server server(RunningLoop running, BlockingQueue<String> failures, Duration timeout)
            throws Exception {
        Server server = running.loop.listen(TlsEchoTest.ANY, StreamTransportTest.Echo::new, ServerOptions.defaults(),
                TlsEchoTest.serverSettings().withHandshakeTimeout(timeout)
                        .withHandshakeFailureListener((peer, e) -> failures.add(e.getMessage())));
        running.loop.connect(server.address(), TlsEchoTest.Collector::new, RunningLoop.WAIT,
                TlsEchoTest.clientSettings()).get(20, TimeUnit.SECONDS).close();
        awaitNoConnections(running, server);
        return server;
    }

    /** Reads until the server ends the connection; returns the bytes it sent. */
    private static byte[] untilClosed(Socket socket) throws IOException {
        try {
            return socket.getInputStream().readAllBytes();
        } catch (java.net.SocketException reset) {
            return new byte[0];
        }
    }

    @Test
    void silentClientsAreDroppedByTheHandshakeTimeoutAndServingGoesOn() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            BlockingQueue<String> failures = new LinkedBlockingQueue<>();
            Server server = server(running, failures, SHORT);
            List<Socket> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    silent.add(StreamTransportTest.client(server));
                }
                for (Socket socket : silent) {
                    assertThat(untilClosed(socket)).as("nothing sent to a client that said nothing").isEmpty();
                }
            } finally {
                for (Socket socket : silent) {
                    socket.close();
                }
            }
            for (int i = 0; i < 50; i++) {
                assertThat(failures.poll(20, TimeUnit.SECONDS)).isEqualTo("handshake failed: timed out after 300 ms");
            }
            TlsTransport good = running.loop.connect(server.address(), TlsEchoTest.Collector::new,
                    RunningLoop.WAIT, TlsEchoTest.clientSettings()).get(20, TimeUnit.SECONDS);
            good.close();
            awaitNoConnections(running, server);
        }
    }

    @Test
    void garbageInsteadOfAClientHelloIsAnsweredWithAnAlert() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            BlockingQueue<String> failures = new LinkedBlockingQueue<>();
            Server server = server(running, failures, HALF_WAY);
            try (Socket socket = StreamTransportTest.client(server)) {
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] answer = untilClosed(socket);
                if (answer.length > 0) {
                    assertThat(answer[0]).as("an alert record").isEqualTo((byte) 21);
                }
            }
            assertThat(failures.poll(20, TimeUnit.SECONDS)).startsWith("handshake failed: ")
                    .doesNotContain("\n");
            awaitNoConnections(running, server);
        }
    }

    @Test
    void aHandshakeStoppedHalfWayIsDroppedByTheTimeout() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            BlockingQueue<String> failures = new LinkedBlockingQueue<>();
            Server server = server(running, failures, HALF_WAY);
            try (Socket socket = StreamTransportTest.client(server)) {
                socket.getOutputStream().write(clientHello());
                InputStream in = socket.getInputStream();
                assertThat(in.read()).as("the server's first flight: a handshake record").isEqualTo(22);
                untilClosed(socket); // then nothing more from us: the timeout ends it
            }
            assertThat(failures.poll(20, TimeUnit.SECONDS)).isEqualTo("handshake failed: timed out after 2 s");
            awaitNoConnections(running, server);
        }
    }

    @Test
    void aClientThatClosesDuringTheHandshakeIsCountedOut() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            BlockingQueue<String> failures = new LinkedBlockingQueue<>();
            Server server = server(running, failures, HALF_WAY);
            for (int i = 0; i < 20; i++) {
                try (Socket socket = StreamTransportTest.client(server)) {
                    socket.getOutputStream().write(clientHello());
                    assertThat(socket.getInputStream().read()).isEqualTo(22);
                }
            }
            for (int i = 0; i < 20; i++) {
                assertThat(failures.poll(20, TimeUnit.SECONDS)).startsWith("handshake failed: ");
            }
            awaitNoConnections(running, server);
            assertThat(running.failures).isEmpty();
        }
    }

    /** A real ClientHello, as the JDK's engine writes it. */
    static byte[] clientHello() throws SSLException {
        SSLEngine engine = TestPki.clientContext(TestPki.CA).createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        byte[] hello = new byte[out.flip().remaining()];
        out.get(hello);
        return hello;
    }

    static void awaitNoConnections(RunningLoop running, Server server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.connectionCount() > 0 && System.nanoTime() < deadline) {
            running.call(() -> null);
        }
        assertThat(server.connectionCount()).as("connections still counted").isZero();
    }
}
