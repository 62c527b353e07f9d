package io.selectors4j.apps.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.common.Program;
import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.Needs;
import io.selectors4j.testkit.Ports;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One time server for the whole class, driven over TCP and UDP by raw sockets, time-client and rdate. */
@Timeout(60)
class TimeProgramsTest {
    private static final String ADDRESS = "\\('127\\.0\\.0\\.1', \\d+\\)";
    private static final Duration CLOCK_SLACK = Duration.ofSeconds(3);
    private static ChildJvm server;

    @BeforeAll
    static void startServer() {
        server = Program.startServer(port -> List.of("time-server", "--port", Integer.toString(port)),
                "listening on port PORT", Ports.Kind.TCP_AND_UDP);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            assertThat(server.terminate()).isZero();
            server.close();
        }
    }

    private static String port() {
        return Integer.toString(server.port());
    }

    @Test
    void tcpGetsFourBytesOfNowAndThenEndOfStream() throws IOException {
        try (Socket socket = Clients.connect(server.port())) {
            byte[] answer = socket.getInputStream().readAllBytes();
            assertThat(answer).hasSize(4);
            assertNearNow(Rfc868.decode(answer, 0));
            server.awaitExactLine("connection from ('127.0.0.1', " + socket.getLocalPort() + ")");
        }
    }

    @Test
    void udpDatagramsGetFourBytesOfNowWhateverTheyHold() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout((int) ChildJvm.PATIENCE.toMillis());
            for (byte[] question : List.of(new byte[0], "what time is it?".getBytes(StandardCharsets.US_ASCII))) {
                socket.send(new DatagramPacket(question, question.length, InetAddress.getLoopbackAddress(), server.port()));
                DatagramPacket answer = new DatagramPacket(new byte[16], 16);
                socket.receive(answer);
                assertThat(answer.getLength()).isEqualTo(4);
                assertNearNow(Rfc868.decode(answer.getData(), 0));
                server.awaitExactLine("datagram from ('127.0.0.1', " + socket.getLocalPort() + ")");
            }
        }
    }

    @Test
    void clientsThatDoNotReadAreAnsweredAndClosedNotHeld() throws IOException {
        try (Socket first = Clients.connect(server.port())) {
            assertThat(first.getInputStream().readAllBytes()).hasSize(4);
        }
        // Taken once a client is served: by then the server holds every socket of its own.
        int baseline = server.openSockets();
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                clients.add(Clients.connect(server.port()));
            }
            for (Socket client : clients) {
                server.awaitExactLine("connection from ('127.0.0.1', " + client.getLocalPort() + ")");
            }
            // The last one may still be between its log line and its close.
            assertThat(server.openSockets()).as("sockets held for 50 clients that have not read")
                    .isLessThanOrEqualTo(baseline + 1);
            for (Socket client : clients) {
                assertThat(client.getInputStream().readAllBytes()).hasSize(4);
            }
        } finally {
            for (Socket client : clients) {
                client.close();
            }
        }
    }

    @Test
    void resetBeforeTheAnswerLeavesTheServerServing() throws IOException {
        for (int i = 0; i < 5; i++) {
            Clients.reset(Clients.connect(server.port()));
        }
        try (Socket socket = Clients.connect(server.port())) {
            assertThat(socket.getInputStream().readAllBytes()).hasSize(4);
        }
    }

    @Test
    void timeClientPrintsTheTimeAndItsOffsetOverTcpAndUdp() {
        for (List<String> args : List.of(List.of("time-client", "127.0.0.1", "--port", port()),
                List.of("time-client", "localhost", "--port", port(), "--udp"))) {
            ChildJvm client = Program.start(args.toArray(String[]::new));
            List<String> out = client.allLines();
            assertThat(client.exitCode()).as(client.stderr()).isZero();
            assertThat(out).hasSize(1);
            assertThat(out.getFirst()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ, offset [+-]\\d+\\.\\d{3} s from the local clock");
            assertNearNow(Instant.parse(out.getFirst().substring(0, 20)));
            double offset = Double.parseDouble(out.getFirst().replaceAll(".*offset (\\S+) s.*", "$1"));
            assertThat(Math.abs(offset)).isLessThan(CLOCK_SLACK.toSeconds());
        }
    }

    @Test
    void rdateReadsTheRightTimeOverTcpAndUdp() throws Exception {
        Path rdate = Needs.tool("rdate");
        for (List<String> flags : List.of(List.of("-p"), List.of("-u", "-p"))) {
            List<String> command = new ArrayList<>(List.of(rdate.toString()));
            command.addAll(flags);
            command.addAll(List.of("-o", port(), "127.0.0.1"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("TZ", "UTC");
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(out).isZero();
            // rdate prints the time as date(1) does, here in UTC: "Mon Nov 23 10:41:56 UTC 2026".
            LocalDateTime printed = LocalDateTime.parse(out.replaceAll("\\s+", " "),
                    DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss 'UTC' yyyy", Locale.ROOT));
            assertNearNow(printed.toInstant(ZoneOffset.UTC));
        }
    }

    @Test
    void timeClientWithNoServerFailsInOneLine() {
        int port = Ports.free(Ports.Kind.TCP);
        ChildJvm client = Program.start("time-client", "127.0.0.1", "--port", Integer.toString(port));
        assertThat(client.exitCode()).isEqualTo(2);
        assertThat(client.stderr()).isEqualTo("s4j time-client: cannot connect to 127.0.0.1 port " + port
                + ": Connection refused" + System.lineSeparator());
    }

    @Test
    void timeoutSaysStillWaiting() {
        try (ChildJvm quiet = Program.startServer(port -> List.of("time-server", "--port", Integer.toString(port),
                "--timeout", "0.2"), "listening on port PORT", Ports.Kind.TCP_AND_UDP)) {
            quiet.awaitExactLine("still waiting");
            quiet.awaitExactLine("still waiting");
            assertThat(quiet.terminate()).isZero();
        }
    }

    private static void assertNearNow(Instant time) {
        assertThat(Duration.between(Instant.now(), time).abs()).isLessThan(CLOCK_SLACK);
    }
}
