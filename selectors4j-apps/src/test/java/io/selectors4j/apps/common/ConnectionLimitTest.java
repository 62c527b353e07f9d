package io.selectors4j.apps.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.Ports;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --max-connections 3} on the servers as real processes: three clients are served, a fourth
 * waits in the listen backlog (not served, not even accepted: the server's sockets are counted in
 * {@code /proc/PID/fd}) while the others keep being served, and it is served as soon as one of the
 * three leaves.
 */
@Timeout(120)
class ConnectionLimitTest {
    private static final int LIMIT = 3;
    /** How long the fourth client waits to make sure it is not served. */
    private static final int NOT_SERVED_MILLIS = 1000;

    /** The echo servers, with how each is started on a port with the limit. */
    enum EchoServer {
        ECHO_SERVER("starting up on localhost port PORT", "echo-server", "--quiet", "--port"),
        SERVE("echo: listening on 127\\.0\\.0\\.1 port PORT", "serve", "--quiet", "--time-port", "0",
                "--chat-port", "0", "--echo-port");

        private final String readyLine;
        private final List<String> args;

        EchoServer(String readyLine, String... args) {
            this.readyLine = readyLine;
            this.args = List.of(args);
        }

        ChildJvm start() {
            return Program.startServer(port -> {
                List<String> all = new ArrayList<>(args);
                all.addAll(List.of(Integer.toString(port), "--max-connections", Integer.toString(LIMIT)));
                return all;
            }, readyLine, Ports.Kind.TCP);
        }
    }

    @ParameterizedTest
    @EnumSource(EchoServer.class)
    void aFourthEchoClientIsServedOnlyWhenOneOfThreeLeaves(EchoServer kind) throws Exception {
        try (ChildJvm server = kind.start()) {
            List<Socket> first = new ArrayList<>();
            try {
                first.add(Clients.connect(server.port()));
                assertEchoes(first.getFirst(), "client 0");
                // Taken once a client is served: by then the server holds every socket of its own.
                int baseline = server.openSockets() - 1;
                for (int i = 1; i < LIMIT; i++) {
                    first.add(Clients.connect(server.port()));
                    assertEchoes(first.get(i), "client " + i);
                }
                assertThat(server.openSockets()).isEqualTo(baseline + LIMIT);

                try (Socket fourth = Clients.connect(server.port())) {
                    fourth.getOutputStream().write("fourth".getBytes(StandardCharsets.US_ASCII));
                    fourth.setSoTimeout(NOT_SERVED_MILLIS);
                    assertThatThrownBy(() -> fourth.getInputStream().read())
                            .as("no echo for a client beyond the limit").isInstanceOf(SocketTimeoutException.class);
                    assertThat(server.openSockets()).as("sockets held beyond the limit").isEqualTo(baseline + LIMIT);
                    for (Socket other : first) {
                        assertEchoes(other, "still served");
                    }

                    first.remove(1).close();

                    fourth.setSoTimeout((int) ChildJvm.PATIENCE.toMillis());
                    assertThat(new String(Clients.readExactly(fourth, 6), StandardCharsets.US_ASCII)).isEqualTo("fourth");
                    assertEchoes(fourth, "served now");
                    assertThat(server.openSockets()).isEqualTo(baseline + LIMIT);
                }
            } finally {
                for (Socket socket : first) {
                    socket.close();
                }
            }
            assertThat(server.terminate()).isZero();
            assertThat(server.stderr()).isEmpty();
        }
    }

    @Test
    void selectServerLogsAFourthClientOnlyWhenOneOfThreeLeaves() throws Exception {
        try (ChildJvm server = Program.startSelectServer("--max-connections", Integer.toString(LIMIT))) {
            server.awaitExactLine("waiting for connections");
            int baseline = server.openSockets();
            List<Socket> first = new ArrayList<>();
            try {
                for (int i = 0; i < LIMIT; i++) {
                    first.add(Clients.connect(server.port()));
                    server.awaitExactLine(peer(first.get(i)) + ": connected");
                }
                try (Socket fourth = Clients.connect(server.port())) {
                    fourth.getOutputStream().write("four".getBytes(StandardCharsets.US_ASCII));
                    // A round through the server's loop: were the fourth accepted, it would be logged by now.
                    first.getFirst().getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                    server.awaitExactLine(peer(first.getFirst()) + " 4 bytes: b'ping'");
                    assertThat(server.openSockets()).as("sockets held beyond the limit").isEqualTo(baseline + LIMIT);
                    assertThat(server.lines()).noneMatch(line -> line.contains(peer(fourth)));

                    Socket leaving = first.remove(1);
                    leaving.close();

                    server.awaitExactLine(peer(leaving) + ": disconnected");
                    server.awaitExactLine(peer(fourth) + ": connected");
                    server.awaitExactLine(peer(fourth) + " 4 bytes: b'four'");
                }
            } finally {
                for (Socket socket : first) {
                    socket.close();
                }
            }
            assertThat(server.terminate()).isZero();
        }
    }

    private static void assertEchoes(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        socket.getOutputStream().write(bytes);
        assertThat(Clients.readExactly(socket, bytes.length)).isEqualTo(bytes);
    }

    private static String peer(Socket socket) {
        return "('127.0.0.1', " + socket.getLocalPort() + ")";
    }
}
