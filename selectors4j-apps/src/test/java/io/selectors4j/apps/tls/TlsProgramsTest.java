package io.selectors4j.apps.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.Run;
import io.selectors4j.apps.common.Program;
import io.selectors4j.apps.tls.PemFixtures.KeyForm;
import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Ports;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code s4j serve} over TLS with the echo client, as a user runs them: PEM files, self-signed, refusals. */
@Timeout(120)
class TlsProgramsTest {
    @TempDir
    static Path dir;
    static Path certificate;
    static Path key;
    static Path otherCertificate;

    @BeforeAll
    static void files() throws Exception {
        Credentials server = PemFixtures.ec();
        certificate = PemFixtures.writeCertificates(server, dir.resolve("server.pem"));
        key = PemFixtures.writeKey(server, KeyForm.PKCS8, dir.resolve("server-key.pem"));
        otherCertificate = PemFixtures.writeCertificates(PemFixtures.ec(), dir.resolve("other.pem"));
    }

    /** serve with echo on the chosen port over TLS, time and chat on free ports. */
    static ChildJvm serve(String... tls) {
        return Program.startServer(port -> {
            List<String> args = new ArrayList<>(List.of("serve", "--echo-port", Integer.toString(port),
                    "--time-port", Integer.toString(Ports.free(Ports.Kind.TCP_AND_UDP)),
                    "--chat-port", Integer.toString(Ports.free(Ports.Kind.TCP))));
            args.addAll(List.of(tls));
            return args;
        }, "echo: listening on 127\\.0\\.0\\.1 port PORT \\(TLS\\)", Ports.Kind.TCP);
    }

    @Test
    void serveSpeaksTlsOnEchoAndChatWithPemFilesAndTheClientTrustingThemGetsItsEcho() throws Exception {
        try (ChildJvm serve = serve("--tls-cert", certificate.toString(), "--tls-key", key.toString())) {
            String time = serve.awaitLine("time: listening on 127\\.0\\.0\\.1 port \\d+ \\(TCP and UDP\\)");
            serve.awaitLine("chat: listening on 127\\.0\\.0\\.1 port \\d+ \\(TLS\\)");
            serve.awaitLine("TLS: certificate for localhost, 127\\.0\\.0\\.1, ::1, SHA-256 fingerprint [0-9A-F:]{95}");
            Run client = Run.of("echo-client", "--port", Integer.toString(serve.port()), "--tls-ca",
                    certificate.toString());
            assertThat(client.exitCode()).as(client.err()).isZero();
            assertThat(client.out()).contains("received b'This is the message. '", "received b'in parts.'");
            assertThat(client.err()).isEmpty();
            serve.awaitLine("echo: connection from \\('127\\.0\\.0\\.1', \\d+\\)");
            serve.awaitLine("echo: received b'This is the message. ' from \\('127\\.0\\.0\\.1', \\d+\\)");
            // The time service stays plain RFC 868.
            int timePort = Integer.parseInt(time.replaceAll(".* port (\\d+) .*", "$1"));
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), timePort)) {
                plain.setSoTimeout(20_000);
                new DataInputStream(plain.getInputStream()).readInt();
            }
            assertThat(serve.terminate()).isZero();
        }
    }

    @Test
    void aClientTrustingAnotherCertificateIsRefusedInOneLineAndTheServerSaysWhy() throws Exception {
        try (ChildJvm serve = serve("--tls-cert", certificate.toString(), "--tls-key", key.toString())) {
            Run client = Run.of("echo-client", "--port", Integer.toString(serve.port()), "--tls-ca",
                    otherCertificate.toString());
            assertThat(client.exitCode()).isEqualTo(2);
            assertThat(client.err().strip()).startsWith("s4j echo-client: cannot connect to localhost port " + serve.port()
                    + ": handshake failed: ").doesNotContain("\n");
            serve.awaitLine("echo: \\('127\\.0\\.0\\.1', \\d+\\): handshake failed: .*");
            assertThat(serve.terminate()).isZero();
        }
    }

    @Test
    void aSelfSignedServerPrintsTheFingerprintOfTheCertificateItServes() throws Exception {
        try (ChildJvm serve = serve("--tls-self-signed")) {
            String line = serve.awaitLine("TLS: self-signed certificate made now for localhost, 127\\.0\\.0\\.1, ::1, "
                    + "SHA-256 fingerprint [0-9A-F:]{95}");
            String printed = line.substring(line.lastIndexOf(' ') + 1);
            SSLContext trustingAll = TlsClientOptions.trustingEverything();
            try (SSLSocket socket = (SSLSocket) trustingAll.getSocketFactory().createSocket("127.0.0.1", serve.port())) {
                byte[] served = socket.getSession().getPeerCertificates()[0].getEncoded();
                String fingerprint = HexFormat.ofDelimiter(":").withUpperCase()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(served));
                assertThat(fingerprint).isEqualTo(printed);
            }
            Run insecure = Run.of("echo-client", "--port", Integer.toString(serve.port()), "--tls-insecure");
            assertThat(insecure.exitCode()).as(insecure.err()).isZero();
            assertThat(insecure.err()).startsWith("WARNING: --tls-insecure: the server's certificate is NOT checked");
            Run verified = Run.of("echo-client", "--port", Integer.toString(serve.port()), "--tls");
            assertThat(verified.exitCode()).as("the JDK's trust store does not know a self-signed certificate")
                    .isEqualTo(2);
            assertThat(serve.terminate()).isZero();
        }
    }

    @Test
    void optionsThatDoNotGoTogetherAreUsageErrorsAndFilesThatCannotBeReadAreOneLine() {
        Run noKey = Run.of("serve", "--tls-cert", certificate.toString());
        assertThat(noKey.exitCode()).isEqualTo(1);
        assertThat(noKey.err()).contains("--tls-cert and --tls-key go together");
        Run both = Run.of("chat-server", "--tls-self-signed", "--tls-cert", certificate.toString(), "--tls-key",
                key.toString(), "0");
        assertThat(both.exitCode()).isEqualTo(1);
        assertThat(both.err()).contains("--tls-self-signed makes its own certificate");
        Run contradiction = Run.of("echo-client", "--tls-ca", certificate.toString(), "--tls-insecure");
        assertThat(contradiction.exitCode()).isEqualTo(1);
        Path missing = dir.resolve("missing.pem");
        Run unreadable = Run.of("serve", "--tls-cert", missing.toString(), "--tls-key", key.toString());
        assertThat(unreadable.exitCode()).isEqualTo(2);
        assertThat(unreadable.err().strip()).isEqualTo("s4j serve: " + missing + ": no such file");
    }
}
