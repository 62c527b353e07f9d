package io.selectors4j.apps.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.apps.Run;
import io.selectors4j.apps.chat.ChatTestClient;
import io.selectors4j.apps.chat.Packet;
import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.Ports;
import io.selectors4j.testkit.Proc;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Options no other test ran with a valid value, each shown to take effect, not only to parse:
 * {@code --host} on the servers and the classic clients, {@code --backend} on time-server and
 * select-server, echo-server's {@code --max-queue}, serve's echo watermarks and
 * {@code --chat-max-queue}, and {@code --debug} on a real subcommand.
 */
@Timeout(180)
class OptionEffectsTest {
    /** Not the default address, yet loopback with no setup: Linux routes all of 127/8 to lo. */
    private static final String OTHER_LOOPBACK = "127.0.0.2";
    /** How the kernel's socket table writes {@link #OTHER_LOOPBACK}. */
    private static final String OTHER_LOOPBACK_HEX = "0200007F";
    private static final int SMALL_BUFFER = 4096;
    private static final long ONE_MIB = 1 << 20;
    /** What a server may read past its bound: one read (the loop reads 64 KiB at a time). */
    private static final long READ_SLACK = 64 * 1024;

    /** The servers, started with {@code --host 127.0.0.2} on a given port. */
    enum HostServer {
        TIME_SERVER(port -> List.of("time-server", "--host", OTHER_LOOPBACK, "--port", port),
                "listening on 127\\.0\\.0\\.2 port PORT", Ports.Kind.TCP_AND_UDP),
        SELECT_SERVER(port -> List.of("select-server", "--host", OTHER_LOOPBACK, port),
                "listening on 127\\.0\\.0\\.2 port PORT", Ports.Kind.TCP),
        CHAT_SERVER(port -> List.of("chat-server", "--host", OTHER_LOOPBACK, port),
                "listening on 127\\.0\\.0\\.2 port PORT", Ports.Kind.TCP),
        SERVE(port -> List.of("serve", "--host", OTHER_LOOPBACK, "--echo-port", port, "--time-port", "0",
                "--chat-port", "0"), "echo: listening on 127\\.0\\.0\\.2 port PORT", Ports.Kind.TCP);

        private final IntFunction<List<String>> args;
        private final String ready;
        private final Ports.Kind ports;

        HostServer(java.util.function.Function<String, List<String>> args, String ready, Ports.Kind ports) {
            this.args = port -> args.apply(Integer.toString(port));
            this.ready = ready;
            this.ports = ports;
        }

        ChildJvm start() {
            return Program.startServer(args, ready, ports);
        }
    }

    @ParameterizedTest
    @EnumSource(HostServer.class)
    void hostMakesAServerListenOnThatAddressAlone(HostServer kind) throws IOException {
        try (ChildJvm server = kind.start()) {
            assertThat(Proc.tcpListeners("/proc/net/tcp", server.port())).containsExactly(OTHER_LOOPBACK_HEX);
            try (Socket there = Clients.connect(new InetSocketAddress(OTHER_LOOPBACK, server.port()))) {
                assertThat(there.isConnected()).isTrue();
            }
            assertThatThrownBy(() -> Clients.connect(server.port())).as("127.0.0.1, the default, is not served")
                    .isInstanceOf(ConnectException.class);
            assertThat(server.terminate()).as("exit code on SIGTERM").isZero();
        }
    }

    @Test
    void hostPointsTheEchoClientsAtThatAddress() {
        try (ChildJvm server = Program.startServer(port -> List.of("echo-server", "--quiet", "--host", OTHER_LOOPBACK,
                "--port", Integer.toString(port)), "starting up on 127\\.0\\.0\\.2 port PORT", Ports.Kind.TCP)) {
            String port = Integer.toString(server.port());
            for (List<String> client : List.of(List.of("echo-client", "--connections", "1"), List.of("slow-client"))) {
                List<String> args = new ArrayList<>(client);
                args.addAll(List.of("--host", OTHER_LOOPBACK, "--port", port));
                ChildJvm run = Program.start(args.toArray(String[]::new));
                List<String> out = run.allLines();
                assertThat(run.exitCode()).as("%s; stderr %s", args, run.stderr()).isZero();
                assertThat(out).as("%s", args).first().isEqualTo("connecting to 127.0.0.2 port " + port);
                assertThat(out).as("%s got its echo", args).anyMatch(line -> line.contains("received b'"));
            }
            assertThat(server.terminate()).isZero();
        }
    }

    /** The servers whose --backend no other test ran, with the ready line for a port. */
    enum BackendServer {
        TIME_SERVER("time-server", "--port"), SELECT_SERVER("select-server");

        private final List<String> command;

        BackendServer(String... command) {
            this.command = List.of(command);
        }
    }

    @ParameterizedTest
    @EnumSource(BackendServer.class)
    void backendIsTheCallTheServerWaitsIn(BackendServer kind) throws Exception {
        for (String backend : List.of("select", "poll", "epoll")) {
            try (ChildJvm server = Program.startServer(port -> {
                List<String> args = new ArrayList<>(kind.command);
                args.add(Integer.toString(port));
                args.addAll(List.of("--backend", backend));
                return args;
            }, "listening on (127\\.0\\.0\\.1 )?port PORT", Ports.Kind.TCP_AND_UDP)) {
                assertThat(awaitBlockedCalls(server)).as("%s --backend %s", kind, backend).containsExactly(backend);
                assertThat(server.terminate()).isZero();
            }
        }
    }

    /** The readiness calls the server's threads sleep in, once one does (it may be starting still). */
    private static Set<String> awaitBlockedCalls(ChildJvm server) throws InterruptedException {
        long deadline = System.nanoTime() + ChildJvm.PATIENCE.toNanos();
        Set<String> calls = Proc.blockedReadinessCalls(server.pid());
        while (calls.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling /proc: nothing to wait on
            calls = Proc.blockedReadinessCalls(server.pid());
        }
        return calls;
    }

    @Test
    void echoServersMaxQueueIsWhatItHoldsForAClientThatDoesNotRead() throws Exception {
        String ready = "starting up on localhost port PORT";
        assertThat(heldForAClientThatDoesNotRead(List.of("echo-server", "--quiet", "--max-queue", "1048576"), ready))
                .as("--max-queue 1 MiB").isBetween(ONE_MIB - READ_SLACK, ONE_MIB + READ_SLACK);
        assertThat(heldForAClientThatDoesNotRead(List.of("echo-server", "--quiet", "--max-queue", "4096"), ready))
                .as("--max-queue 4096").isLessThanOrEqualTo(4096 + READ_SLACK);
    }

    @Test
    void servesEchoWatermarksAreWhatItHoldsForAClientThatDoesNotRead() throws Exception {
        String ready = "echo: listening on 127\\.0\\.0\\.1 port PORT";
        List<String> serve = List.of("serve", "--quiet", "--time-port", "0", "--chat-port", "0");
        List<String> high = new ArrayList<>(serve);
        high.addAll(List.of("--echo-high-water", "1048576", "--echo-low-water", "524288"));
        List<String> low = new ArrayList<>(serve);
        low.addAll(List.of("--echo-high-water", "4096", "--echo-low-water", "1024"));
        assertThat(heldForAClientThatDoesNotRead(high, ready)).as("high water 1 MiB")
                .isBetween(ONE_MIB - READ_SLACK, ONE_MIB + READ_SLACK);
        assertThat(heldForAClientThatDoesNotRead(low, ready)).as("high water 4 KiB").isLessThanOrEqualTo(4096 + READ_SLACK);
    }

    /**
     * Starts {@code args} with the echo port last, pushes from a client that never reads until nothing
     * moves for two seconds, and returns what the server holds for it in its own memory: what the client
     * pushed less what the kernel holds on the way (both sockets' send and receive queues, from
     * /proc/net/tcp). The kernel's share depends on its buffer tuning; the server's on the option.
     */
    private static long heldForAClientThatDoesNotRead(List<String> args, String ready) throws IOException {
        try (ChildJvm server = Program.startServer(port -> {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of(args.getFirst().equals("serve") ? "--echo-port" : "--port", Integer.toString(port)));
            return all;
        }, ready, Ports.Kind.TCP); SocketChannel client = SocketChannel.open()) {
            client.setOption(StandardSocketOptions.SO_RCVBUF, SMALL_BUFFER);
            client.setOption(StandardSocketOptions.SO_SNDBUF, SMALL_BUFFER);
            client.connect(new InetSocketAddress("127.0.0.1", server.port()));
            client.configureBlocking(false);
            long pushed = Clients.sendUntilBlocked(List.of(client), 16 * ONE_MIB, new byte[0], new byte[] {'x'},
                    Duration.ofSeconds(2)).total();
            int clientPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
            Proc.TcpQueues near = Proc.tcpQueues(clientPort, server.port());
            Proc.TcpQueues far = Proc.tcpQueues(server.port(), clientPort);
            long held = pushed - near.send() - near.receive() - far.send() - far.receive();
            System.out.printf(Locale.ROOT, "%s: pushed %,d; in the kernel: client %s, server %s; the server holds %,d%n",
                    args, pushed, near, far, held);
            return held;
        }
    }

    @Test
    void servesChatMaxQueueIsWhereAMemberWhoStopsReadingIsDropped() throws Exception {
        try (ChildJvm serve = Program.startServeChatOnly("--chat-max-queue", "65536")) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", serve.port());
            try (ChatTestClient pat = ChatTestClient.join(address, "pat");
                 ChatTestClient sleeper = ChatTestClient.connect(address, SMALL_BUFFER)) {
                sleeper.send(new Packet.Hello("sleeper"));
                pat.expect(new Packet.Join("sleeper"));
                assertThat(pat.chatUntilLeft("sleeper", 200)).as("60 KB chats until the sleeper was dropped")
                        .isLessThan(200);
                serve.awaitLine("chat: \\('127\\.0\\.0\\.1', \\d+\\) sleeper dropped: over 65536 bytes waiting to be sent");
            }
            assertThat(serve.terminate()).isZero();
        }
    }

    @Test
    void debugAddsTheStackTraceToARealSubcommandsFailure() {
        int closed = Ports.free(Ports.Kind.TCP);
        String error = "s4j time-client: cannot connect to 127.0.0.1 port " + closed + ": Connection refused";
        for (List<String> args : List.of(List.of("--debug", "time-client", "127.0.0.1", "--port", Integer.toString(closed)),
                List.of("time-client", "--debug", "127.0.0.1", "--port", Integer.toString(closed)))) {
            Run run = Run.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as("%s", args).isEqualTo(2);
            List<String> lines = run.err().lines().toList();
            assertThat(lines).as("%s", args).first().isEqualTo(error);
            assertThat(lines).as("%s: the stack trace follows", args).hasSizeGreaterThan(2)
                    .anyMatch(line -> line.startsWith("\tat "));
        }
        Run plain = Run.of("time-client", "127.0.0.1", "--port", Integer.toString(closed));
        assertThat(plain.err()).as("without --debug, the line alone").isEqualTo(error + System.lineSeparator());
    }
}
