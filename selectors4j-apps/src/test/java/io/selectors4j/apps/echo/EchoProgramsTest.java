package io.selectors4j.apps.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.selectors4j.apps.common.Program;
import io.selectors4j.net.PythonText;
import io.selectors4j.selectors.Backend;
import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.Needs;
import io.selectors4j.testkit.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The echo server, echo-client and slow-client as real processes on loopback. */
@Timeout(90)
class EchoProgramsTest {
    private static final String ADDRESS = "\\('127\\.0\\.0\\.1', \\d+\\)";

    @Test
    void echoClientSessionPrintsTheClassicLinesOnBothSides() {
        try (ChildJvm server = Program.startEchoServer()) {
            ChildJvm client = Program.start("echo-client", "--port", Integer.toString(server.port()));
            List<String> out = client.allLines();
            assertThat(client.exitCode()).isZero();
            assertThat(out).hasSize(13);
            assertThat(out.getFirst()).isEqualTo("connecting to localhost port " + server.port());
            String first = out.get(1).substring(0, out.get(1).indexOf(':'));
            String second = out.get(2).substring(0, out.get(2).indexOf(':'));
            assertThat(out.subList(1, 13)).containsExactly(
                    first + ": sending b'This is the message. '", second + ": sending b'This is the message. '",
                    first + ": received b'This is the message. '", second + ": received b'This is the message. '",
                    first + ": sending b'It will be sent '", second + ": sending b'It will be sent '",
                    first + ": received b'It will be sent '", second + ": received b'It will be sent '",
                    first + ": sending b'in parts.'", second + ": sending b'in parts.'",
                    first + ": received b'in parts.'", second + ": received b'in parts.'");

            // Both connections closed, in whichever order the server saw them go.
            server.awaitLine("  closing " + ADDRESS);
            server.awaitLine("  closing " + ADDRESS);
            assertThat(server.terminate()).isZero();
            List<String> log = server.allLines();
            assertThat(log.getFirst()).isEqualTo("starting up on localhost port " + server.port());
            assertThat(log).contains("waiting for the next event",
                    "  connection from " + first, "  connection from " + second,
                    "  received b'This is the message. ' from " + first,
                    "  sending b'This is the message. ' to " + first,
                    "  " + first + " queue empty",
                    "  received b'in parts.' from " + second,
                    "  sending b'in parts.' to " + second,
                    "  closing " + first, "  closing " + second);
            assertThat(log.indexOf("  received b'It will be sent ' from " + first))
                    .isLessThan(log.indexOf("  sending b'It will be sent ' to " + first));
            assertThat(server.stderr()).isEmpty();
        }
    }

    @Test
    void slowClientGetsItsFortyEightBytesSixteenAtATime() {
        try (ChildJvm server = Program.startEchoServer("--quiet")) {
            ChildJvm client = Program.start("slow-client", "--port", Integer.toString(server.port()));
            assertThat(client.allLines()).containsExactly(
                    "connecting to localhost port " + server.port(),
                    "sending b'Part one of the message.'",
                    "sending b'Part two of the message.'",
                    "received b'Part one of the '",
                    "received b'message.Part two'",
                    "received b' of the message.'",
                    "closing socket");
            assertThat(client.exitCode()).isZero();
            assertThat(server.terminate()).isZero();
            assertThat(server.allLines()).containsExactly("starting up on localhost port " + server.port(), "stopping");
        }
    }

    @Test
    void slowClientPrintsWholeSixteenByteChunksHoweverTheEchoIsCut() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread dribbler = Thread.ofVirtual().start(() -> {
                try (Socket connection = listener.accept()) {
                    connection.setTcpNoDelay(true);
                    byte[] message = connection.getInputStream().readNBytes(48);
                    // The echo in two pieces that straddle a 16-byte chunk, the second one late.
                    OutputStream out = connection.getOutputStream();
                    out.write(message, 0, 20);
                    out.flush();
                    Thread.sleep(300);
                    out.write(message, 20, 28);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            ChildJvm client = Program.start("slow-client", "--port", Integer.toString(listener.getLocalPort()));
            assertThat(client.allLines()).containsExactly(
                    "connecting to localhost port " + listener.getLocalPort(),
                    "sending b'Part one of the message.'",
                    "sending b'Part two of the message.'",
                    "received b'Part one of the '",
                    "received b'message.Part two'",
                    "received b' of the message.'",
                    "closing socket");
            assertThat(client.exitCode()).isZero();
            dribbler.join();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void fiftyConcurrentClientsGetEveryByteBack(Backend backend) throws Exception {
        assumeTrue(backend.isAvailable(), backend + " is not available here");
        try (ChildJvm server = Program.startEchoServer("--quiet", "--backend", backend.name().toLowerCase(Locale.ROOT));
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                long seed = i;
                results.add(clients.submit(() -> Clients.echoesEverything(server.port(), new Random(seed), 150_000)));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void halfClosedClientStillGetsTheWholeEchoThenTheServerCloses() throws Exception {
        try (ChildJvm server = Program.startEchoServer()) {
            assertThat(Clients.echoesEverything(server.port(), new Random(7), 300_000)).isTrue();
            server.awaitLine("  closing " + ADDRESS);
            assertThat(server.terminate()).as("exit code on SIGTERM").isZero();
            assertThat(server.stderr()).isEmpty();
        }
    }

    @Test
    void clientThatNeverReadsIsHeldToABoundedQueueAndDelaysNoOne() throws Exception {
        try (ChildJvm server = Program.startEchoServer("--quiet");
             SocketChannel hog = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()))) {
            hog.configureBlocking(false);
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            long accepted = 0;
            int idle = 0;
            // The server stops reading once the hog's queue is full, so the kernel buffers fill and the
            // writes stop being taken; without that bound this loop would reach its 256 MiB cap.
            while (idle < 50 && accepted < 256L << 20) {
                chunk.clear();
                int n = hog.write(chunk);
                accepted += n;
                if (n == 0) {
                    idle++;
                    Thread.sleep(10);
                } else {
                    idle = 0;
                }
            }
            assertThat(accepted).isLessThan(64L << 20);

            try (Socket other = Clients.connect(server.port())) {
                other.getOutputStream().write("still served".getBytes());
                assertThat(new String(Clients.readExactly(other, 12))).isEqualTo("still served");
            }
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void resetConnectionIsClosedAndOthersKeepBeingServed() throws Exception {
        try (ChildJvm server = Program.startEchoServer()) {
            Socket victim = Clients.connect(server.port());
            victim.getOutputStream().write("bye".getBytes());
            Clients.readExactly(victim, 3);
            String peer = "('127.0.0.1', " + victim.getLocalPort() + ")";
            Clients.reset(victim);
            server.awaitExactLine("  closing " + peer);

            try (Socket other = Clients.connect(server.port())) {
                other.getOutputStream().write("next".getBytes());
                assertThat(new String(Clients.readExactly(other, 4))).isEqualTo("next");
            }
            assertThat(server.terminate()).isZero();
            assertThat(server.stderr()).isEmpty();
        }
    }

    @Test
    void runningOutOfDescriptorsShedsConnectionsAndRecovers() throws Exception {
        List<Socket> clients = new ArrayList<>();
        try (ChildJvm server = ChildJvm.startServer(Program.server(port -> List.of("echo-server", "--port",
                Integer.toString(port)), "starting up on localhost port PORT", Ports.Kind.TCP).withOpenFiles(64))) {
            int port = server.port();
            int served = 0;
            int shed = 0;
            Set<String> servedPeers = new HashSet<>();
            for (int i = 0; i < 80; i++) {
                Socket client = Clients.connect(port);
                clients.add(client);
                client.getOutputStream().write('x');
                int echo;
                try {
                    echo = client.getInputStream().read();
                } catch (IOException reset) {
                    echo = -1;
                }
                if (echo == 'x') {
                    served++;
                    servedPeers.add("  closing ('127.0.0.1', " + client.getLocalPort() + ")");
                } else {
                    shed++;
                }
            }
            assertThat(served).isGreaterThan(10);
            assertThat(shed).isGreaterThan(0);
            server.awaitLine("  closed a connection from " + ADDRESS + ": Too many open files");

            for (Socket client : clients) {
                client.close();
            }
            clients.clear();
            // Once the server has closed every served connection its descriptors are back (it closes
            // right after the log line, on the thread that would accept): a new client is served again.
            while (!servedPeers.isEmpty()) {
                String line = server.nextLine();
                assertThat(line).as("the log ended with connections still open: %s", servedPeers).isNotNull();
                servedPeers.remove(line);
            }
            try (Socket again = Clients.connect(port)) {
                again.getOutputStream().write("back".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(Clients.readExactly(again, 4), StandardCharsets.US_ASCII)).isEqualTo("back");
            }
            assertThat(server.terminate()).isZero();
        } finally {
            for (Socket client : clients) {
                client.close();
            }
        }
    }

    @Test
    void ipv6ClientsAreNamedInPythonsFourTuple() throws Exception {
        InetAddress v6 = Needs.ipv6Loopback();
        try (ChildJvm server = Program.startServer(port -> List.of("echo-server", "--host", "::1", "--port",
                Integer.toString(port)), "starting up on ::1 port PORT", Ports.Kind.TCP)) {
            try (Socket client = new Socket(v6, server.port())) {
                client.setSoTimeout((int) ChildJvm.PATIENCE.toMillis());
                client.getOutputStream().write("v6".getBytes(StandardCharsets.US_ASCII));
                assertThat(Clients.readExactly(client, 2)).asString(StandardCharsets.US_ASCII).isEqualTo("v6");
                server.awaitExactLine("  received b'v6' from ('::1', " + client.getLocalPort() + ", 0, 0)");
            }
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void timeoutSaysSoWhenNothingHappens() {
        try (ChildJvm server = Program.startEchoServer("--timeout", "0.2")) {
            server.awaitExactLine("  timed out, do some other work here");
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void portInUseIsOneLineAndExitTwo() {
        try (ChildJvm server = Program.startEchoServer("--quiet")) {
            ChildJvm second = Program.start("echo-server", "--port", Integer.toString(server.port()));
            assertThat(second.exitCode()).isEqualTo(2);
            assertThat(second.stderr()).isEqualTo("s4j echo-server: cannot listen on localhost port "
                    + server.port() + ": Address already in use" + System.lineSeparator());
            assertThat(server.terminate()).as("exit code on SIGTERM").isZero();
            assertThat(server.stderr()).isEmpty();
        }
    }

    @Test
    void echoClientAgainstNoServerIsConnectionRefused() {
        int port = Ports.free(Ports.Kind.TCP);
        ChildJvm client = Program.start("echo-client", "--port", Integer.toString(port));
        assertThat(client.exitCode()).isEqualTo(2);
        assertThat(client.stderr()).isEqualTo("s4j echo-client: cannot connect to localhost port " + port
                + ": Connection refused" + System.lineSeparator());
    }

    @Test
    void echoClientExitsOneWhenTheEchoDiffers() throws Exception {
        try (ServerSocket liar = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ChildJvm client = Program.start("echo-client", "--connections", "1", "--port",
                    Integer.toString(liar.getLocalPort()));
            try (Socket peer = liar.accept()) {
                InputStream in = peer.getInputStream();
                in.readNBytes(21);
                peer.getOutputStream().write("This is the massage. ".getBytes());
                assertThat(client.exitCode()).isEqualTo(1);
            }
            assertThat(client.stderr()).contains("sent b'This is the message. ' but received b'This is the massage. '");
        }
    }

    @Test
    void pythonSelectorsClientGetsTheSameEchoes() throws Exception {
        Path python3 = Needs.tool("python3");
        String script = """
                import selectors, socket, sys
                port = int(sys.argv[1])
                sel = selectors.DefaultSelector()
                messages = [b'This is the message. ', b'It will be sent ', b'in parts.', b"it's \\\\ \\x00\\xff"]
                expected = b''.join(messages)
                socks = []
                for i in range(3):
                    s = socket.create_connection(('127.0.0.1', port))
                    s.setblocking(False)
                    sel.register(s, selectors.EVENT_READ, bytearray())
                    socks.append(s)
                for m in messages:
                    for s in socks:
                        s.sendall(m)
                done = 0
                while done < len(socks):
                    events = sel.select(timeout=10)
                    if not events:
                        sys.exit('timed out')
                    for key, mask in events:
                        data = key.fileobj.recv(4096)
                        key.data.extend(data)
                        if len(key.data) == len(expected):
                            print(repr(bytes(key.data)))
                            sel.unregister(key.fileobj)
                            key.fileobj.close()
                            done += 1
                """;
        try (ChildJvm server = Program.startEchoServer("--quiet")) {
            Process python = new ProcessBuilder(python3.toString(), "-c", script, Integer.toString(server.port())).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            python.getInputStream().transferTo(out);
            assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(python.exitValue()).as(new String(python.getErrorStream().readAllBytes())).isZero();
            byte[] sent = "This is the message. It will be sent in parts.it's \\ \0\0".getBytes(StandardCharsets.ISO_8859_1);
            sent[sent.length - 1] = (byte) 0xff;
            // Python prints the echo with its own repr: the same text as ours.
            String echo = PythonText.bytes(sent);
            assertThat(out.toString().lines().toList()).containsExactly(echo, echo, echo);
            assertThat(server.terminate()).as("exit code on SIGTERM").isZero();
            assertThat(server.stderr()).isEmpty();
        }
    }
}
