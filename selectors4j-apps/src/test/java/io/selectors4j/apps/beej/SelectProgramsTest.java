package io.selectors4j.apps.beej;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.Run;
import io.selectors4j.apps.common.Program;
import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Clients;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One select-server for the class, its log read line by line while raw sockets and select-client talk to it. */
@Timeout(60)
class SelectProgramsTest {
    private static ChildJvm server;

    @BeforeAll
    static void startServer() {
        server = Program.startSelectServer();
        server.awaitExactLine("waiting for connections");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            assertThat(server.terminate()).isZero();
            assertThat(server.stderr()).isEmpty();
            server.close();
        }
    }

    private static String peer(Socket socket) {
        return "('127.0.0.1', " + socket.getLocalPort() + ")";
    }

    /** Closes the sockets and reads up to their disconnections, so no test leaves lines for the next. */
    private static void closeAndAwait(Socket... sockets) throws IOException {
        for (Socket socket : sockets) {
            String peer = peer(socket);
            socket.close();
            server.awaitExactLine(peer + ": disconnected");
        }
    }

    /** Sends {@code data} and returns the server's data line for it (one read, since the client waits). */
    private static String sendAndAwait(Socket socket, byte[] data) throws IOException {
        socket.getOutputStream().write(data);
        return server.awaitLine(Pattern.quote(peer(socket)) + " \\d+ bytes: .*");
    }

    @Test
    void bytesAreLoggedInPythonsRepr() throws IOException {
        Socket socket = Clients.connect(server.port());
        try {
            server.awaitExactLine(peer(socket) + ": connected");
            assertThat(sendAndAwait(socket, "test1: xajrxttphhlwmjf".getBytes(StandardCharsets.US_ASCII)))
                    .isEqualTo(peer(socket) + " 22 bytes: b'test1: xajrxttphhlwmjf'");
            assertThat(sendAndAwait(socket, "it's".getBytes(StandardCharsets.US_ASCII)))
                    .isEqualTo(peer(socket) + " 4 bytes: b\"it's\"");
            assertThat(sendAndAwait(socket, "it's \"x\"".getBytes(StandardCharsets.US_ASCII)))
                    .isEqualTo(peer(socket) + " 8 bytes: b'it\\'s \"x\"'");
            assertThat(sendAndAwait(socket, "a\tb\nc\rd\\e".getBytes(StandardCharsets.US_ASCII)))
                    .isEqualTo(peer(socket) + " 9 bytes: b'a\\tb\\nc\\rd\\\\e'");
            assertThat(sendAndAwait(socket, new byte[] {0x00, 0x1f, 0x7f, (byte) 0x80, (byte) 0xff}))
                    .isEqualTo(peer(socket) + " 5 bytes: b'\\x00\\x1f\\x7f\\x80\\xff'");
            assertThat(sendAndAwait(socket, "Zoë".getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(peer(socket) + " 4 bytes: b'Zo\\xc3\\xab'");
        } finally {
            closeAndAwait(socket);
        }
    }

    @Test
    void coalescedAndSplitSendsAreLoggedPerReadWithNothingLost() throws Exception {
        Socket socket = Clients.connect(server.port());
        try {
            server.awaitExactLine(peer(socket) + ": connected");
            OutputStream out = socket.getOutputStream();
            StringBuilder logged = new StringBuilder();
            String expected = "first,second,third|";
            for (String piece : List.of("first,", "second,", "third|")) {
                out.write(piece.getBytes(StandardCharsets.US_ASCII));
            }
            while (logged.length() < expected.length()) {
                String line = server.awaitLine(Pattern.quote(peer(socket)) + " \\d+ bytes: b'.*'");
                String bytes = line.substring(line.indexOf("b'") + 2, line.length() - 1);
                int count = Integer.parseInt(line.substring(peer(socket).length() + 1, line.indexOf(" bytes")));
                assertThat(bytes).hasSize(count);
                logged.append(bytes);
            }
            assertThat(logged.toString()).isEqualTo(expected);

            // One message split over two sends with a pause between: two reads, two lines.
            assertThat(sendAndAwait(socket, "split ".getBytes(StandardCharsets.US_ASCII))).endsWith("b'split '");
            assertThat(sendAndAwait(socket, "message".getBytes(StandardCharsets.US_ASCII))).endsWith("b'message'");
        } finally {
            closeAndAwait(socket);
        }
    }

    @Test
    void aSilentClientDelaysNoOne() throws IOException {
        Socket silent = Clients.connect(server.port());
        Socket talker = Clients.connect(server.port());
        try {
            // The server has accepted the silent client first, and still serves the talker at once,
            // not waiting for a read from the silent one.
            server.awaitExactLine(peer(silent) + ": connected");
            server.awaitExactLine(peer(talker) + ": connected");
            assertThat(sendAndAwait(talker, "hello".getBytes(StandardCharsets.US_ASCII)))
                    .isEqualTo(peer(talker) + " 5 bytes: b'hello'");
            assertThat(sendAndAwait(talker, "again".getBytes(StandardCharsets.US_ASCII)))
                    .isEqualTo(peer(talker) + " 5 bytes: b'again'");
            // and the silent client was kept all along: when it speaks at last, it is heard
            assertThat(sendAndAwait(silent, "late".getBytes(StandardCharsets.US_ASCII)))
                    .isEqualTo(peer(silent) + " 4 bytes: b'late'");
        } finally {
            closeAndAwait(talker, silent);
        }
    }

    @Test
    void connectThenCloseIsConnectedThenDisconnectedWithNoData() throws IOException {
        Socket socket = Clients.connect(server.port());
        String peer = peer(socket);
        socket.close();
        server.awaitExactLine(peer + ": connected");
        assertThat(server.nextLine()).isEqualTo(peer + ": disconnected");
    }

    @Test
    void aResetConnectionCountsAsDisconnected() throws IOException {
        Socket socket = Clients.connect(server.port());
        String peer = peer(socket);
        assertThat(sendAndAwait(socket, "x".getBytes(StandardCharsets.US_ASCII))).isEqualTo(peer + " 1 bytes: b'x'");
        Clients.reset(socket);
        server.awaitExactLine(peer + ": disconnected");
    }

    @Test
    void aHundredClientsAtOnceAreEachConnectedReadAndDisconnectedOnce() throws IOException {
        List<Socket> sockets = new ArrayList<>();
        Map<String, String> expected = new HashMap<>();
        try {
            for (int i = 0; i < 100; i++) {
                Socket socket = Clients.connect(server.port());
                sockets.add(socket);
                expected.put(peer(socket), "client " + i);
            }
            for (int i = 0; i < sockets.size(); i++) {
                sockets.get(i).getOutputStream().write(("client " + i).getBytes(StandardCharsets.US_ASCII));
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        Map<String, StringBuilder> received = new HashMap<>();
        Set<String> connected = new HashSet<>();
        Set<String> disconnected = new HashSet<>();
        while (!disconnected.containsAll(expected.keySet())) {
            String line = server.nextLine();
            assertThat(line).isNotNull();
            String peer = line.substring(0, line.indexOf(')') + 1);
            if (!expected.containsKey(peer)) {
                continue;
            }
            String event = line.substring(peer.length());
            if (event.equals(": connected")) {
                assertThat(connected.add(peer)).as(line).isTrue();
            } else if (event.equals(": disconnected")) {
                assertThat(connected).contains(peer);
                assertThat(disconnected.add(peer)).as(line).isTrue();
            } else {
                assertThat(disconnected).doesNotContain(peer);
                received.computeIfAbsent(peer, p -> new StringBuilder())
                        .append(event.substring(event.indexOf("b'") + 2, event.length() - 1));
            }
        }
        for (Map.Entry<String, String> client : expected.entrySet()) {
            assertThat(received.get(client.getKey())).as(client.getKey()).hasToString(client.getValue());
        }
    }

    @Test
    void selectClientSendsPrefixAndTenToNineteenLettersUntilTheServerGoes() {
        try (ChildJvm own = Program.startSelectServer()) {
            ChildJvm client = Program.start("select-client", "test1", "127.0.0.1", Integer.toString(own.port()),
                    "--interval", "0.01,0.05");
            for (int i = 0; i < 3; i++) {
                String sent = client.awaitLine("sending b'test1: [a-z]{10,19}'");
                String text = sent.substring("sending b'".length(), sent.length() - 1);
                own.awaitLine("\\('127\\.0\\.0\\.1', \\d+\\) " + text.length() + " bytes: b'" + text + "'");
            }
            assertThat(own.terminate()).isZero();
            assertThat(client.exitCode()).isEqualTo(2);
            assertThat(client.stderr()).contains("s4j select-client: ");
        }
    }

    @Test
    void aMissingOrBadPortIsAUsageError() {
        Run missing = Run.of("select-server");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).startsWith("s4j select-server: Missing required parameter: 'PORT'");

        Run bad = Run.of("select-server", "http");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("'http' is not a port number");

        Run outOfRange = Run.of("select-server", "70000");
        assertThat(outOfRange.exitCode()).isEqualTo(1);
        assertThat(outOfRange.err()).contains("port must be from 0 to 65535, not 70000");
    }
}
