package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.testkit.LoopBackends;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loop's TLS against implementations no one here wrote: OpenSSL's {@code s_client} and
 * {@code s_server}, and Python's {@code ssl} module. Skipped, naming the tool, where one is missing.
 */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class TlsInteropTest {
    @TempDir
    static Path dir;
    static Path ca;
    static Path certificate;
    static Path key;

    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    @BeforeAll
    static void writePem() throws Exception {
        ca = dir.resolve("ca.pem");
        certificate = dir.resolve("server.pem");
        key = dir.resolve("server-key.pem");
        TestPki.writePem(TestPki.CA, ca, null);
        TestPki.writePem(TestPki.SERVER, certificate, key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1_3", "1_2"})
    void opensslsClientGetsItsEchoAndTellsTheVersionAndCipher(String version) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            StreamTransportTest.Echo echo = new StreamTransportTest.Echo();
            Server server = running.loop.listen(TlsEchoTest.ANY, () -> echo, ServerOptions.defaults(),
                    TlsEchoTest.serverSettings());
            try (ExternalTool client = ExternalTool.start("openssl", "s_client", "-connect", target(server),
                    "-servername", "localhost", "-CAfile", ca.toString(), "-verify_return_error",
                    "-tls" + version)) {
                String agreed = client.await("Cipher is ");
                assertThat(agreed).contains("TLSv" + version.replace('_', '.'));
                client.await("Verify return code: 0 (ok)");
                client.send("hello from openssl\n");
                client.await("hello from openssl");
                client.endInput(); // s_client sends close_notify and ends
                assertThat(client.exitCode()).as(client.output()).isZero();
            }
            assertThat(echo.eof.await(20, TimeUnit.SECONDS)).as("close_notify heard as end of stream").isTrue();
            assertThat(echo.lost.get(20, TimeUnit.SECONDS)).isInstanceOf(StreamTransportTest.NoError.class);
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void aClientAskingForTls10IsRefused() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            BlockingQueue<String> failures = new LinkedBlockingQueue<>();
            Server server = running.loop.listen(TlsEchoTest.ANY, StreamTransportTest.Echo::new,
                    ServerOptions.defaults(), TlsEchoTest.serverSettings()
                            .withHandshakeFailureListener((peer, e) -> failures.add(e.getMessage())));
            try (ExternalTool client = ExternalTool.start("openssl", "s_client", "-connect", target(server),
                    "-tls1", "-cipher", "DEFAULT@SECLEVEL=0")) {
                client.endInput();
                assertThat(client.exitCode()).as(client.output()).isNotZero();
                assertThat(client.output()).contains("alert protocol version");
            }
            assertThat(failures.poll(20, TimeUnit.SECONDS)).startsWith("handshake failed: ").contains("TLSv1 is not enabled");
        }
    }

    @Test
    void opensslsRenegotiationIsRefused() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            CompletableFuture<Throwable> ended = new CompletableFuture<>();
            Server server = running.loop.listen(TlsEchoTest.ANY, () -> new StreamTransportTest.Echo() {
                @Override
                public void connectionLost(Throwable cause) {
                    ended.complete(cause);
                }
            }, ServerOptions.defaults(), TlsEchoTest.serverSettings());
            try (ExternalTool client = ExternalTool.start("openssl", "s_client", "-connect", target(server),
                    "-CAfile", ca.toString(), "-tls1_2")) {
                client.await("Verify return code: 0 (ok)");
                client.send("before\n");
                client.await("before");
                client.send("R\n"); // s_client's command to renegotiate
                assertThat(ended.get(20, TimeUnit.SECONDS)).isInstanceOf(SSLException.class)
                        .hasMessageContaining("renegotiation");
                client.endInput();
                client.exitCode();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void theLoopsClientTalksToOpensslsServer(String version) throws Exception {
        int port = freePort();
        try (RunningLoop running = RunningLoop.start(backend);
                ExternalTool server = ExternalTool.start("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                        "-cert", certificate.toString(), "-key", key.toString(), "-rev", "-naccept", "2")) {
            server.await("ACCEPT");
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            TlsEchoTest.Collector collector = new TlsEchoTest.Collector();
            collector.expected = 6;
            TlsTransport client = running.loop.connect(address, () -> collector, RunningLoop.WAIT,
                    TlsEchoTest.clientSettings().withProtocols(version)).get(20, TimeUnit.SECONDS);
            assertThat(client.tlsSession().protocol()).isEqualTo(version);
            assertThat(client.tlsSession().peerCertificates()).first().isEqualTo(TestPki.SERVER.certificate());
            client.write("hello\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(collector.got.get(20, TimeUnit.SECONDS), StandardCharsets.US_ASCII))
                    .isEqualTo("olleh\n");
            client.close();
            assertThat(collector.lost.get(20, TimeUnit.SECONDS)).isInstanceOf(StreamTransportTest.NoError.class);

            TlsSettings stranger = TlsSettings.client(TestPki.clientContext(TestPki.ca("another CA")), "localhost");
            assertThatThrownBy(() -> running.loop.connect(address, TlsEchoTest.Collector::new, RunningLoop.WAIT,
                    stranger).get(20, TimeUnit.SECONDS)).cause().isInstanceOf(SSLHandshakeException.class)
                    .hasMessageStartingWith("handshake failed: ");
            assertThat(running.failures).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1_3", "TLSv1_2"})
    void pythonsSslGetsItsEchoAndACloseNotifyAfterTheData(String version) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(TlsEchoTest.ANY, () -> new Protocol() {
                Transport transport;

                @Override
                public void connectionMade(Transport transport) {
                    this.transport = transport;
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    transport.write(data);
                    transport.write(new byte[1 << 20]); // then a mebibyte, and the close after it
                    transport.close();
                }
            }, ServerOptions.defaults(), TlsEchoTest.serverSettings());
            Path script = dir.resolve("client.py");
            Files.writeString(script, """
                    import socket, ssl, sys
                    port, ca, version = int(sys.argv[1]), sys.argv[2], sys.argv[3]
                    context = ssl.create_default_context(cafile=ca)
                    context.minimum_version = context.maximum_version = getattr(ssl.TLSVersion, version)
                    with socket.create_connection(('127.0.0.1', port)) as raw:
                        # suppress_ragged_eofs=False: an end without close_notify raises SSLEOFError
                        with context.wrap_socket(raw, server_hostname='localhost', suppress_ragged_eofs=False) as s:
                            s.sendall(b'hello from python')
                            received = b''
                            while True:
                                chunk = s.recv(65536)
                                if not chunk:
                                    break
                                received += chunk
                            print(s.version(), s.cipher()[0], received[:17].decode(), len(received) - 17)
                    """);
            try (ExternalTool python = ExternalTool.start("python3", script.toString(),
                    Integer.toString(((InetSocketAddress) server.address()).getPort()), ca.toString(), version)) {
                String line = python.await("hello from python");
                assertThat(line).startsWith(version.replace('_', '.') + " ").endsWith(" " + (1 << 20));
                assertThat(python.exitCode()).as(python.output()).isZero();
            }
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void aServerShutdownSendsCloseNotifyToPythonsClient() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(TlsEchoTest.ANY, StreamTransportTest.Echo::new,
                    ServerOptions.defaults(), TlsEchoTest.serverSettings());
            Path script = dir.resolve("shutdown.py");
            Files.writeString(script, """
                    import socket, ssl, sys
                    port, ca = int(sys.argv[1]), sys.argv[2]
                    context = ssl.create_default_context(cafile=ca)
                    with socket.create_connection(('127.0.0.1', port)) as raw:
                        with context.wrap_socket(raw, server_hostname='localhost', suppress_ragged_eofs=False) as s:
                            s.sendall(b'hi')
                            assert s.recv(2) == b'hi'
                            print('ready', flush=True)
                            try:
                                print('end: orderly' if s.recv(100) == b'' else 'end: data')
                            except ssl.SSLEOFError:
                                print('end: ragged')
                    """);
            try (ExternalTool python = ExternalTool.start("python3", script.toString(),
                    Integer.toString(((InetSocketAddress) server.address()).getPort()), ca.toString())) {
                python.await("ready");
                server.shutdown(java.time.Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
                assertThat(python.await("end: ")).as("a close_notify, not a bare end of stream")
                        .isEqualTo("end: orderly");
                assertThat(python.exitCode()).as(python.output()).isZero();
            }
        }
    }

    private static String target(Server server) {
        return "127.0.0.1:" + ((InetSocketAddress) server.address()).getPort();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
