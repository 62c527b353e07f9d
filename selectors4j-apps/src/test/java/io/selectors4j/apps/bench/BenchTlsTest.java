package io.selectors4j.apps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.selectors4j.apps.Run;
import io.selectors4j.apps.tls.Credentials;
import io.selectors4j.apps.tls.PemFixtures;
import io.selectors4j.apps.tls.SelfSigned;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The load generator over TLS, against the JDK's own TLS server: kept connections and one per request. */
@Timeout(60)
class BenchTlsTest {
    @TempDir
    Path dir;

    /** A TLS echo server on the JDK's SSLServerSocket, a virtual thread per connection. */
    static final class JdkTlsEcho implements AutoCloseable {
        final SSLServerSocket listener;
        final AtomicInteger handshakes = new AtomicInteger();
        /** Handshakes that sent no certificate: resumed sessions (a full handshake chooses one). */
        final AtomicInteger resumed = new AtomicInteger();
        /** Whether this thread's handshake chose a certificate: an SSLSocket handshakes on its caller's thread. */
        private final ThreadLocal<Boolean> certificateChosen = ThreadLocal.withInitial(() -> false);
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        /** The position in each connection's stream of the one byte echoed wrong, or -1 for none. */
        private final long corruptAt;

        JdkTlsEcho(Credentials credentials) throws Exception {
            this(credentials, -1);
        }

        JdkTlsEcho(Credentials credentials, long corruptAt) throws Exception {
            this.corruptAt = corruptAt;
            listener = (SSLServerSocket) countingContext(credentials).getServerSocketFactory()
                    .createServerSocket(0, 1024, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!listener.isClosed()) {
                    try {
                        SSLSocket socket = (SSLSocket) listener.accept();
                        threads.execute(() -> echo(socket));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        private void echo(SSLSocket socket) {
            try (socket) {
                certificateChosen.set(false);
                socket.startHandshake();
                handshakes.incrementAndGet();
                if (!certificateChosen.get()) {
                    resumed.incrementAndGet();
                }
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] buffer = new byte[16 * 1024];
                long position = 0;
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    if (corruptAt >= position && corruptAt < position + n) {
                        buffer[(int) (corruptAt - position)] ^= 0x55;
                    }
                    position += n;
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        private SSLContext countingContext(Credentials credentials) throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", credentials.key(), new char[0],
                    credentials.chain().toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, new char[0]);
            X509ExtendedKeyManager keys = (X509ExtendedKeyManager) factory.getKeyManagers()[0];
            X509ExtendedKeyManager counting = new X509ExtendedKeyManager() {
                @Override
                public String chooseServerAlias(String type, Principal[] issuers, Socket socket) {
                    String alias = keys.chooseServerAlias(type, issuers, socket);
                    if (alias != null) {
                        certificateChosen.set(true);
                    }
                    return alias;
                }

                @Override
                public String[] getClientAliases(String type, Principal[] issuers) {
                    return keys.getClientAliases(type, issuers);
                }

                @Override
                public String chooseClientAlias(String[] type, Principal[] issuers, Socket socket) {
                    return keys.chooseClientAlias(type, issuers, socket);
                }

                @Override
                public String[] getServerAliases(String type, Principal[] issuers) {
                    return keys.getServerAliases(type, issuers);
                }

                @Override
                public X509Certificate[] getCertificateChain(String alias) {
                    return keys.getCertificateChain(alias);
                }

                @Override
                public PrivateKey getPrivateKey(String alias) {
                    return keys.getPrivateKey(alias);
                }
            };
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {counting}, null, null);
            return context;
        }

        String target() {
            return "127.0.0.1:" + listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            threads.shutdownNow();
        }
    }

    @Test
    void keptTlsConnectionsEchoEveryByteWithTheChosenCipherSuite() throws Exception {
        Credentials credentials = SelfSigned.make("localhost");
        Path certificate = PemFixtures.writeCertificates(credentials, dir.resolve("cert.pem"));
        try (JdkTlsEcho server = new JdkTlsEcho(credentials)) {
            Run run = Run.of("bench", server.target(), "--tls-ca", certificate.toString(), "--tls-ciphers",
                    "TLS_AES_128_GCM_SHA256", "--connections", "4", "--size", "3000", "--pipeline", "2",
                    "--duration", "500ms", "--warmup", "100ms", "--json");
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertThat(json.get("mode").asText()).isEqualTo("tls");
            assertThat(json.get("requests").asLong()).isPositive();
            assertThat(json.get("mismatches").asLong()).isZero();
            assertThat(server.handshakes.get()).isEqualTo(4);
        }
    }

    @Test
    void aByteEchoedWrongOverTlsIsCaughtAndCounted() throws Exception {
        try (JdkTlsEcho server = new JdkTlsEcho(SelfSigned.make("localhost"), 5_000)) {
            Run run = Run.of("bench", server.target(), "--tls-insecure", "--connections", "2", "--size", "100",
                    "--duration", "500ms", "--warmup", "0", "--json");
            assertThat(run.exitCode()).isEqualTo(1);
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertThat(json.get("mismatches").asLong()).isEqualTo(2);
            assertThat(json.get("firstProblem").asText()).contains("byte 5000 of the stream");
        }
    }

    @Test
    void reconnectMakesAFullHandshakeForEveryRequest() throws Exception {
        try (JdkTlsEcho server = new JdkTlsEcho(SelfSigned.make("localhost"))) {
            Run run = Run.of("bench", server.target(), "--tls-insecure", "--reconnect", "--connections", "2",
                    "--size", "100", "--duration", "500ms", "--warmup", "0", "--json");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).startsWith("WARNING: --tls-insecure");
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertThat(json.get("mode").asText()).isEqualTo("tls, new connection per request");
            long requests = json.get("requests").asLong();
            assertThat(requests).isPositive();
            assertThat(server.handshakes.get()).as("a handshake per request").isGreaterThanOrEqualTo((int) requests);
            assertThat(server.resumed.get()).as("handshakes that resumed a session instead of a full one").isZero();
        }
    }

    @Test
    void aFixedRateAndAPipelineWithReconnectAreUsageErrors() {
        assertThat(Run.of("bench", "127.0.0.1:9", "--tls-insecure", "--rate", "100").exitCode()).isEqualTo(1);
        assertThat(Run.of("bench", "127.0.0.1:9", "--reconnect", "--pipeline", "2").exitCode()).isEqualTo(1);
        assertThat(Run.of("bench", "127.0.0.1:9", "--tls-ciphers", "TLS_AES_128_GCM_SHA256").exitCode()).isEqualTo(1);
    }
}
