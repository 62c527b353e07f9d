package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.common.Program;
import io.selectors4j.apps.tls.Credentials;
import io.selectors4j.apps.tls.PemFixtures;
import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Needs;
import io.selectors4j.testkit.Ports;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code s4j chat-server} over TLS with our chat client and with Python's {@code ssl} module. */
@Timeout(120)
class ChatTlsTest {
    @TempDir
    static Path dir;
    static Path certificate;
    static Path key;

    @BeforeAll
    static void files() throws Exception {
        Credentials server = PemFixtures.rsa();
        certificate = PemFixtures.writeCertificates(server, dir.resolve("server.pem"));
        key = PemFixtures.writeKey(server, PemFixtures.KeyForm.TRADITIONAL, dir.resolve("server-key.pem"));
    }

    private static ChildJvm chatServer() {
        return Program.startServer(port -> List.of("chat-server", "--tls-cert", certificate.toString(), "--tls-key",
                key.toString(), Integer.toString(port)),
                "listening on 127\\.0\\.0\\.1 port PORT \\(TLS\\)", Ports.Kind.TCP);
    }

    @Test
    void ourChatClientJoinsOverTls() throws Exception {
        try (ChildJvm server = chatServer();
                ChildJvm pat = Program.start("chat-client", "--tls-ca", certificate.toString(), "pat",
                        "localhost", Integer.toString(server.port()))) {
            assertThat(pat.nextLine()).isEqualTo("*** pat has joined the chat");
            pat.type("hello over TLS");
            assertThat(pat.nextLine()).isEqualTo("pat: hello over TLS");
            pat.type("/q");
            assertThat(pat.exitCode()).isZero();
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void pythonsSslSpeaksTheChatProtocolToTheServer() throws Exception {
        Path python3 = Needs.tool("python3");
        Path script = dir.resolve("chat.py");
        Files.writeString(script, """
                import json, socket, ssl, struct, sys
                port, ca = int(sys.argv[1]), sys.argv[2]
                context = ssl.create_default_context(cafile=ca)
                def send(s, packet):
                    data = json.dumps(packet).encode()
                    s.sendall(struct.pack('>H', len(data)) + data)
                def receive(s):
                    def exactly(n):
                        data = b''
                        while len(data) < n:
                            chunk = s.recv(n - len(data))
                            if not chunk:
                                raise EOFError('the server closed the connection')
                            data += chunk
                        return data
                    (length,) = struct.unpack('>H', exactly(2))
                    return json.loads(exactly(length))
                with socket.create_connection(('127.0.0.1', port)) as raw:
                    with context.wrap_socket(raw, server_hostname='localhost') as s:
                        send(s, {'type': 'hello', 'nick': 'py'})
                        print(s.version(), receive(s))
                        send(s, {'type': 'chat', 'message': 'Zoë says hi'})
                        print(receive(s))
                        send(s, {'type': 'who'})
                        print(receive(s))
                """);
        try (ChildJvm server = chatServer()) {
            Process python = new ProcessBuilder(python3.toString(), script.toString(), Integer.toString(server.port()),
                    certificate.toString()).redirectErrorStream(true).start();
            List<String> lines;
            try (BufferedReader out = python.inputReader(StandardCharsets.UTF_8)) {
                lines = out.lines().toList();
            }
            assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(python.exitValue()).as(String.join("\n", lines)).isZero();
            assertThat(lines).containsExactly(
                    "TLSv1.3 {'type': 'join', 'nick': 'py'}",
                    "{'type': 'chat', 'nick': 'py', 'message': 'Zoë says hi'}",
                    "{'type': 'users', 'nicks': ['py']}");
            assertThat(server.terminate()).isZero();
        }
    }
}
