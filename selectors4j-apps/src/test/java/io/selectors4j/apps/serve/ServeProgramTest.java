package io.selectors4j.apps.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.Run;
import io.selectors4j.apps.chat.ChatTestClient;
import io.selectors4j.apps.common.Program;
import io.selectors4j.apps.time.Rfc868;
import io.selectors4j.loop.LoopBackend;
import io.selectors4j.sys.IoUringRefusal;
import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.LoopBackends;
import io.selectors4j.testkit.Ports;
import io.selectors4j.testkit.Proc;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code s4j serve} as a real process: every service at once, several loops, and a clean stop. */
@Timeout(60)
class ServeProgramTest {
    private static final String ADDRESS = "\\('127\\.0\\.0\\.1', \\d+\\)";

    /** Echo on the chosen port, time and chat on other free ports (or as {@code extra} says). */
    private static ChildJvm serve(String... extra) {
        return Program.startServer(port -> {
            List<String> args = new ArrayList<>(List.of("serve", "--echo-port", Integer.toString(port)));
            if (!List.of(extra).contains("--time-port")) {
                args.addAll(List.of("--time-port", Integer.toString(Ports.free(Ports.Kind.TCP_AND_UDP))));
            }
            if (!List.of(extra).contains("--chat-port")) {
                args.addAll(List.of("--chat-port", Integer.toString(Ports.free(Ports.Kind.TCP))));
            }
            args.addAll(List.of(extra));
            return args;
        }, "echo: listening on 127\\.0\\.0\\.1 port PORT", Ports.Kind.TCP);
    }

    private static int timePort(ChildJvm serve) {
        String line = serve.awaitLine("time: listening on 127\\.0\\.0\\.1 port \\d+ \\(TCP and UDP\\)");
        return Integer.parseInt(line.replaceAll(".* port (\\d+) .*", "$1"));
    }

    /** Every service on the default loop (epoll) and on io_uring. */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "io_uring"})
    void everyServiceAtOnceWithOneLinePerEventThenACleanStop(String backend) throws Exception {
        LoopBackends.requireUsable(LoopBackend.valueOf(backend.toUpperCase(Locale.ROOT)));
        try (ChildJvm serve = backend.equals("epoll") ? serve() : serve("--backend", backend)) {
            int timePort = timePort(serve);
            String chatLine = serve.awaitLine("chat: listening on 127\\.0\\.0\\.1 port \\d+");
            int chatPort = Integer.parseInt(chatLine.replaceAll(".* port (\\d+)$", "$1"));
            serve.awaitExactLine("serve: running on 1 event loop (" + backend + "); Ctrl-C stops");

            try (Socket echo = Clients.connect(serve.port())) {
                echo.getOutputStream().write("hi there".getBytes(StandardCharsets.US_ASCII));
                assertThat(Clients.readExactly(echo, 8)).asString(StandardCharsets.US_ASCII).isEqualTo("hi there");
                String peer = "('127.0.0.1', " + echo.getLocalPort() + ")";
                serve.awaitExactLine("echo: connection from " + peer);
                serve.awaitExactLine("echo: received b'hi there' from " + peer);
            }
            serve.awaitLine("echo: closing " + ADDRESS);

            try (Socket time = Clients.connect(timePort)) {
                byte[] answer = time.getInputStream().readAllBytes();
                assertThat(answer).hasSize(4);
                assertNearNow(Rfc868.decode(answer, 0));
                serve.awaitExactLine("time: connection from ('127.0.0.1', " + time.getLocalPort() + ")");
            }
            try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                udp.setSoTimeout((int) ChildJvm.PATIENCE.toMillis());
                udp.send(new DatagramPacket(new byte[0], 0, InetAddress.getLoopbackAddress(), timePort));
                DatagramPacket answer = new DatagramPacket(new byte[16], 16);
                udp.receive(answer);
                assertThat(answer.getLength()).isEqualTo(4);
                assertNearNow(Rfc868.decode(answer.getData(), 0));
                serve.awaitExactLine("time: datagram from ('127.0.0.1', " + udp.getLocalPort() + ")");
            }

            String chatPeer;
            try (ChatTestClient chat = ChatTestClient.connect(chatPort)) {
                chat.sendJson("{\"type\": \"hello\", \"nick\": \"pat\"}");
                assertThat(chat.nextJson()).contains("\"join\"").contains("\"pat\"");
                chatPeer = "('127.0.0.1', " + chat.localPort() + ")";
                serve.awaitExactLine("chat: " + chatPeer + " joined as pat");
            }
            // the leave is logged when serve reads the close: before the SIGTERM, or it may come after
            serve.awaitExactLine("chat: " + chatPeer + " pat left");

            assertThat(serve.terminate()).isZero();
            assertThat(serve.allLines()).last().isEqualTo("serve: stopping");
            assertThat(serve.stderr()).isEmpty();
        }
    }

    @Test
    void sigtermLosesNoEchoAndClosesEachConnectionInOrder() throws Exception {
        try (ChildJvm serve = serve("--time-port", "0", "--chat-port", "0");
             Socket client = new Socket()) {
            serve.awaitLine("serve: running on 1 event loop \\((epoll|poll|select)\\); Ctrl-C stops");
            // A small receive buffer and no reading yet: the echo backs up into the server.
            client.setReceiveBufferSize(2048);
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serve.port()));
            client.setSoTimeout((int) ChildJvm.PATIENCE.toMillis());
            byte[] sent = new byte[60_000];
            Arrays.fill(sent, (byte) 'a');
            client.getOutputStream().write(sent);
            int received = 0;
            while (received < sent.length) {
                String line = serve.awaitLine("echo: received b'a+' from .*");
                received += line.indexOf("' from") - line.indexOf("b'") - 2;
            }

            serve.sigterm();
            byte[] echoed = client.getInputStream().readAllBytes(); // to an orderly end: a reset throws
            assertThat(echoed).isEqualTo(sent);
            assertThat(serve.exitCode()).isZero();
            assertThat(serve.allLines()).endsWith("serve: stopping",
                    "echo: closing ('127.0.0.1', " + client.getLocalPort() + ")");
        }
    }

    @Test
    void severalLoopsServeManyClientsOnOnePort() throws Exception {
        try (ChildJvm serve = serve("--quiet", "--loops", "3", "--chat-port", "0");
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            serve.awaitLine("serve: running on 3 event loops \\((epoll|poll|select)\\); Ctrl-C stops");
            // Each loop has its own epoll instance; a connection a loop serves is registered in it. With
            // 30 connections held open, more than one instance holds some: more than one loop serves.
            Map<Integer, Integer> before = Proc.epollRegistrations(serve.pid());
            assertThat(before).as("epoll instances, one per loop").hasSize(3);
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 30; i++) {
                    Socket socket = Clients.connect(serve.port());
                    held.add(socket);
                    byte[] hello = ("hello " + i).getBytes(StandardCharsets.US_ASCII);
                    socket.getOutputStream().write(hello);
                    assertThat(Clients.readExactly(socket, hello.length)).isEqualTo(hello); // accepted, registered
                }
                Map<Integer, Integer> during = Proc.epollRegistrations(serve.pid());
                List<Integer> added = before.keySet().stream().map(epfd -> during.get(epfd) - before.get(epfd)).toList();
                assertThat(added).as("connections registered in each loop's epoll instance").hasSize(3);
                assertThat(added.stream().mapToInt(Integer::intValue).sum()).as("all held connections").isEqualTo(30);
                assertThat(added.stream().filter(n -> n > 0).count()).as("loops serving connections: %s", added)
                        .isGreaterThan(1);
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                long seed = i;
                results.add(clients.submit(() -> Clients.echoesEverything(serve.port(), new Random(seed), 20_000)));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(serve.terminate()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"select", "poll", "epoll", "io_uring"})
    void everyLoopWaitsWithTheBackendAskedFor(String backend) throws Exception {
        LoopBackends.requireUsable(LoopBackend.valueOf(backend.toUpperCase(Locale.ROOT)));
        try (ChildJvm serve = serve("--quiet", "--loops", "2", "--time-port", "0", "--chat-port", "0",
                "--backend", backend)) {
            serve.awaitExactLine("serve: running on 2 event loops (" + backend + "); Ctrl-C stops");
            assertThat(Clients.echoesEverything(serve.port(), new Random(7), 10_000)).isTrue();
            assertThat(serve.terminate()).isZero();
        }
        assertThat(Run.of("serve", "--help").out()).contains("--backend=select|poll|epoll|io_uring");
    }

    /**
     * A kernel that refuses io_uring (forced here with {@link IoUringRefusal#FORCE_PROPERTY}, as seccomp
     * or {@code kernel.io_uring_disabled} would) ends {@code serve --backend io_uring} at once: one line
     * on stderr that names io_uring and the program, no stack trace, a nonzero exit code.
     */
    @Test
    void aRefusedIoUringIsOneLineAndANonzeroExit() {
        ChildJvm refused = ChildJvm.start(Program.launch(List.of("serve", "--backend", "io_uring",
                "--echo-port", "0", "--time-port", "0", "--chat-port", Integer.toString(Ports.free(Ports.Kind.TCP))))
                .withJvmOptions("-XX:TieredStopAtLevel=1", "-D" + IoUringRefusal.FORCE_PROPERTY + "=EPERM"));
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr().lines().toList()).singleElement().asString()
                .startsWith("s4j serve: ").contains("io_uring").doesNotContain("Exception", "\tat ");
        assertThat(refused.allLines()).as("nothing served").noneMatch(line -> line.contains("running on"));
    }

    @Test
    void aTakenPortIsOneLineAndExitTwo() {
        try (ChildJvm first = serve("--quiet", "--time-port", "0", "--chat-port", "0")) {
            ChildJvm second = Program.start("serve", "--echo-port", Integer.toString(first.port()),
                    "--time-port", "0", "--chat-port", "0");
            assertThat(second.exitCode()).isEqualTo(2);
            assertThat(second.stderr()).isEqualTo("s4j serve: echo: cannot listen on 127.0.0.1 port "
                    + first.port() + ": Address already in use" + System.lineSeparator());
            assertThat(first.terminate()).isZero();
        }
    }

    @Test
    void turningEveryServiceOffOrBadLoopsIsAUsageError() {
        Run none = Run.of("serve", "--echo-port", "0", "--time-port", "0", "--chat-port", "0");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).startsWith("s4j serve: every service is turned off");

        Run loops = Run.of("serve", "--loops", "0");
        assertThat(loops.exitCode()).isEqualTo(1);
        assertThat(loops.err()).startsWith("s4j serve: --loops must be from 1 to 256");
    }

    @Test
    void echoClosesASilentConnectionAfterItsIdleTimeoutAndKeepsATalkingOne() throws Exception {
        try (ChildJvm serve = serve("--echo-idle-timeout", "0.5", "--time-port", "0", "--chat-port", "0");
             Socket silent = Clients.connect(serve.port());
             Socket talker = Clients.connect(serve.port())) {
            String silentPeer = "('127.0.0.1', " + silent.getLocalPort() + ")";
            serve.awaitExactLine("echo: connection from " + silentPeer);
            talker.setSoTimeout(5_000);
            long until = System.nanoTime() + Duration.ofMillis(1_500).toNanos();
            while (System.nanoTime() < until) { // three timeouts long, one round trip every 100 ms
                talker.getOutputStream().write('x');
                assertThat(talker.getInputStream().read()).as("the talking connection's echo").isEqualTo('x');
                Thread.sleep(100); // the talker's pace: the point is to stay under the timeout between bytes
            }
            serve.awaitLine("echo: closing \\Q" + silentPeer + "\\E: .*");
            silent.setSoTimeout(5_000);
            assertThat(Clients.readsEndOrReset(silent)).as("the silent connection is closed").isTrue();
            talker.getOutputStream().write('y');
            assertThat(talker.getInputStream().read()).as("the talker is still served").isEqualTo('y');
            assertThat(serve.terminate()).isZero();
        }
    }

    private static void assertNearNow(Instant time) {
        assertThat(Duration.between(Instant.now(), time).abs()).isLessThan(Duration.ofSeconds(3));
    }
}
