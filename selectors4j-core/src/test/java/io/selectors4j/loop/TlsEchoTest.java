package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.testkit.LoopBackends;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** TLS connections between the loop's client and server, and the JDK's own SSLSocket as the other side. */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class TlsEchoTest {
    static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    /** Collects what a client connection receives, completes when the stream ends. */
    static class Collector implements Protocol {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> eof = new CompletableFuture<>();
        final CompletableFuture<Throwable> lost = new CompletableFuture<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile Transport transport;
        int expected = -1;
        final CompletableFuture<byte[]> got = new CompletableFuture<>();

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
            events.add("made");
        }

        @Override
        public synchronized void dataReceived(ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            received.writeBytes(bytes);
            if (expected >= 0 && received.size() >= expected) {
                got.complete(received.toByteArray());
            }
        }

        @Override
        public boolean eofReceived() {
            events.add("eof");
            eof.complete(received.toByteArray());
            return false;
        }

        @Override
        public void connectionLost(Throwable cause) {
            events.add("lost " + cause);
            lost.complete(cause == null ? new StreamTransportTest.NoError() : cause);
        }
    }

    static TlsSettings serverSettings() {
        return TlsSettings.server(TestPki.serverContext(TestPki.SERVER));
    }

    static TlsSettings clientSettings() {
        return TlsSettings.client(TestPki.clientContext(TestPki.CA), "localhost");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void echoesBetweenTheLoopsClientAndServer(String version) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            StreamTransportTest.Echo echo = new StreamTransportTest.Echo();
            Server server = running.loop.listen(ANY, () -> echo, ServerOptions.defaults(),
                    serverSettings().withProtocols(version).withApplicationProtocols("echo/1", "h2"));
            Collector client = new Collector();
            client.expected = 5;
            TlsTransport transport = running.loop.connect(server.address(), () -> client, RunningLoop.WAIT,
                    clientSettings().withApplicationProtocols("h2", "echo/1")).get(20, TimeUnit.SECONDS);
            transport.write("hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.got.get(20, TimeUnit.SECONDS)).asString().isEqualTo("hello");

            TlsSession session = transport.tlsSession();
            assertThat(session.protocol()).isEqualTo(version);
            assertThat(session.cipherSuite()).contains("GCM");
            assertThat(session.applicationProtocol()).isEqualTo("echo/1");
            assertThat(session.peerCertificates()).first().isEqualTo(TestPki.SERVER.certificate());
            TlsTransport serverSide = (TlsTransport) echo.made.get(20, TimeUnit.SECONDS);
            assertThat(serverSide.tlsSession().peerCertificates()).isEmpty();
            assertThat(serverSide.tlsSession().protocol()).isEqualTo(version);

            transport.close();
            assertThat(client.lost.get(20, TimeUnit.SECONDS)).isInstanceOf(StreamTransportTest.NoError.class);
            assertThat(echo.lost.get(20, TimeUnit.SECONDS)).isInstanceOf(StreamTransportTest.NoError.class);
            assertThat(echo.eof.await(20, TimeUnit.SECONDS)).as("the server heard close_notify as EOF").isTrue();
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void servesTheJdksSslSocket() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            StreamTransportTest.Echo echo = new StreamTransportTest.Echo();
            Server server = running.loop.listen(ANY, () -> echo, ServerOptions.defaults(), serverSettings());
            SocketAddress address = server.address();
            try (SSLSocket socket = (SSLSocket) TestPki.clientContext(TestPki.CA).getSocketFactory().createSocket()) {
                socket.connect(address, 10_000);
                socket.setSoTimeout(20_000);
                byte[] big = new byte[1 << 20];
                new java.util.Random(1).nextBytes(big);
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        socket.getOutputStream().write(big);
                        socket.getOutputStream().flush();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                byte[] back = socket.getInputStream().readNBytes(big.length);
                writer.join();
                assertThat(back).isEqualTo(big);
            }
            assertThat(echo.lost.get(20, TimeUnit.SECONDS)).isNotNull();
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void aClientTrustingAnotherCaIsRefused() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            CompletableFuture<String> failure = new CompletableFuture<>();
            Server server = running.loop.listen(ANY, StreamTransportTest.Echo::new, ServerOptions.defaults(),
                    serverSettings().withHandshakeFailureListener((peer, e) -> failure.complete(e.getMessage())));
            TlsSettings stranger = TlsSettings.client(TestPki.clientContext(TestPki.ca("another CA")), "localhost");
            CompletableFuture<TlsTransport> connect = running.loop.connect(server.address(), Collector::new,
                    RunningLoop.WAIT, stranger);
            assertThatThrownBy(() -> connect.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SSLHandshakeException.class)
                    .hasMessageStartingWith("handshake failed: ").hasMessageNotContaining("\n");
            assertThat(failure.get(20, TimeUnit.SECONDS)).startsWith("handshake failed: ").contains("certificate");
            assertThat(server.connectionCount()).isZero();
        }
    }
}
