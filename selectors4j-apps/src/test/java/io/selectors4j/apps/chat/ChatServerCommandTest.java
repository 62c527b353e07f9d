package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.Run;
import io.selectors4j.apps.common.Program;
import io.selectors4j.loop.LoopBackend;
import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.LoopBackends;
import io.selectors4j.testkit.Proc;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code s4j chat-server} as a program: start-up line, log lines, options, a clean stop on SIGTERM. */
@Timeout(120)
class ChatServerCommandTest {
    private static final String EPOLL_INSTANCE = "anon_inode:[eventpoll]";
    private static final String IO_URING_INSTANCE = "anon_inode:[io_uring]";
    /** Far more 60 KB chats than a 64 KiB queue and the kernel's buffers take: the drop comes well before. */
    private static final int MAX_CHATS = 200;

    @Test
    void servesLogsAndStopsCleanlyOnSigterm() throws Exception {
        try (ChildJvm server = Program.start("chat-server", "0", "--max-queue", "65536", "--backend", "poll")) {
            int port = Program.listeningPort(server.nextLine());
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            try (ChatTestClient pat = ChatTestClient.join(address, "pat")) {
                assertThat(server.nextLine()).matches("\\('127\\.0\\.0\\.1', \\d+\\) joined as pat");
                pat.send(new Packet.Hello("again"));
                pat.expect(new Packet.Error("already joined as pat"));
                assertThat(server.nextLine()).matches("\\('127\\.0\\.0\\.1', \\d+\\) pat error: already joined as pat");

                // --backend poll: the loop waits in poll, so the server holds no epoll instance
                assertThat(Proc.fdTargets(server.pid())).doesNotContainValue(EPOLL_INSTANCE);
                // --max-queue 65536: a member that stops reading is dropped at that bound (default 1 MiB)
                try (ChatTestClient sleeper = ChatTestClient.connect(address, 4096)) {
                    sleeper.send(new Packet.Hello("sleeper"));
                    pat.expect(new Packet.Join("sleeper"));
                    assertThat(pat.chatUntilLeft("sleeper", MAX_CHATS)).as("60 KB chats until the sleeper was dropped")
                            .isLessThan(MAX_CHATS);
                    server.awaitLine("\\('127\\.0\\.0\\.1', \\d+\\) sleeper dropped: over 65536 bytes waiting to be sent");
                }

                server.sigterm();

                assertThat(pat.readUntilClosed()).isEmpty();
                assertThat(server.exitCode()).isZero();
                assertThat(server.stderr()).isEmpty();
            }
        }
    }

    /** --backend io_uring: the room works the same, on a loop that holds an io_uring instance. */
    @Test
    void servesARoomOnIoUring() throws Exception {
        LoopBackends.requireUsable(LoopBackend.IO_URING);
        try (ChildJvm server = Program.start("chat-server", "0", "--quiet", "--backend", "io_uring")) {
            String started = server.nextLine();
            assertThat(started).as("the start-up line; stderr: %s", server.stderr()).isNotNull();
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", Program.listeningPort(started));
            assertThat(Proc.fdTargets(server.pid())).containsValue(IO_URING_INSTANCE).doesNotContainValue(EPOLL_INSTANCE);
            try (ChatTestClient pat = ChatTestClient.join(address, "pat");
                    ChatTestClient chris = ChatTestClient.join(address, "chris")) {
                pat.expect(new Packet.Join("chris"));
                chris.send(new Packet.Chat(null, "hi pat"));
                pat.expect(new Packet.Chat("chris", "hi pat"));
                chris.expect(new Packet.Chat("chris", "hi pat"));
                server.sigterm();
                assertThat(pat.readUntilClosed()).isEmpty();
            }
            assertThat(server.exitCode()).isZero();
            assertThat(server.stderr()).isEmpty();
        }
    }

    @Test
    void quietPrintsOnlyTheStartUpLine() throws Exception {
        try (ChildJvm server = Program.start("chat-server", "0", "--quiet")) {
            int port = Program.listeningPort(server.nextLine());
            // the default backend on Linux is epoll: the check above tells the backends apart
            assertThat(Proc.fdTargets(server.pid())).containsValue(EPOLL_INSTANCE);
            try (ChatTestClient pat = ChatTestClient.join(new InetSocketAddress("127.0.0.1", port), "pat")) {
                pat.sendJson("{");
                assertThat(pat.readUntilClosed()).containsExactly(new Packet.Error("invalid JSON"));
            }
            server.sigterm();
            assertThat(server.exitCode()).isZero();
            assertThat(server.allLines()).hasSize(2).last().isEqualTo("stopping");
        }
    }

    @Test
    void atMaxConnectionsAFourthClientWaitsUntilOneOfThreeLeaves() throws Exception {
        try (ChildJvm server = Program.start("chat-server", "0", "--quiet", "--max-connections", "3")) {
            assertFourthWaitsForALeaver(new InetSocketAddress("127.0.0.1", Program.listeningPort(server.nextLine())));
            server.sigterm();
            assertThat(server.exitCode()).isZero();
        }
    }

    @Test
    void serveAppliesMaxConnectionsToItsChat() throws Exception {
        try (ChildJvm server = Program.startServeChatOnly("--quiet", "--max-connections", "3")) {
            assertFourthWaitsForALeaver(new InetSocketAddress("127.0.0.1", server.port()));
            server.sigterm();
            assertThat(server.exitCode()).isZero();
        }
    }

    /** Three members join; a fourth is not answered while they stay, and joins when one leaves. */
    private static void assertFourthWaitsForALeaver(InetSocketAddress address) throws Exception {
        try (ChatTestClient pat = ChatTestClient.join(address, "pat");
             ChatTestClient chris = ChatTestClient.join(address, "chris");
             ChatTestClient kim = ChatTestClient.join(address, "kim");
             ChatTestClient sam = ChatTestClient.connect(address)) {
            sam.send(new Packet.Hello("sam"));
            sam.expectNothing(Duration.ofSeconds(1));
            pat.send(new Packet.Chat(null, "still here"));
            kim.expect(new Packet.Chat("pat", "still here"));

            chris.close();

            sam.expect(new Packet.Join("sam"));
            kim.expect(new Packet.Leave("chris"), new Packet.Join("sam"));
        }
    }

    @Test
    void theServerAndTheClientRefuseTheSameNicks() throws Exception {
        List<String> nicks = List.of(" ", " pat", "pat ", "mal\u202eory", "pat\u200b", "pa\u00a0t");
        List<Packet> refusals = nicks.stream().map(nick -> (Packet) new Packet.Error(Nicks.problem(nick).orElseThrow()))
                .toList();
        try (ChildJvm server = Program.start("chat-server", "0", "--quiet")) {
            String started = server.nextLine();
            assertThat(started).as("the start-up line; stderr: %s", server.stderr()).isNotNull();
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", Program.listeningPort(started));
            try (ChatTestClient mallory = ChatTestClient.connect(address)) {
                for (String nick : nicks) {
                    mallory.send(new Packet.Hello(nick));
                }
                mallory.send(new Packet.Hello("mal ory"));

                List<Packet> expected = new java.util.ArrayList<>(refusals);
                expected.add(new Packet.Join("mal ory"));
                mallory.expect(expected.toArray(Packet[]::new));
            }
            assertThat(server.terminate()).isZero();
        }
        assertThat(refusals).extracting(packet -> ((Packet.Error) packet).message()).containsExactly(
                "nick must not be blank", "nick must not start or end with a space",
                "nick must not start or end with a space",
                "nick must not contain invisible or format characters (U+202E)",
                "nick must not contain invisible or format characters (U+200B)",
                "nick must not contain invisible or format characters (U+00A0)");
        for (String nick : nicks) {
            ProcessBuilder client = new ProcessBuilder(
                    Program.launch(List.of("chat-client", nick, "127.0.0.1", "9")).javaCommand());
            client.environment().put("LANG", "C.UTF-8");
            Process process = client.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String err = new String(process.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as("exit code for %s", nick).isEqualTo(1);
            assertThat(err).startsWith("s4j chat-client: " + Nicks.problem(nick).orElseThrow() + "\n");
        }
    }

    @Test
    void aPortInUseIsAOneLineFailure() throws Exception {
        try (ChildJvm first = Program.start("chat-server", "0", "--quiet")) {
            String port = Integer.toString(Program.listeningPort(first.nextLine()));
            Run run = Run.of("chat-server", port);

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).isEqualTo("s4j chat-server: cannot listen on 127.0.0.1 port " + port
                    + ": Address already in use\n");
            first.sigterm();
            assertThat(first.exitCode()).isZero();
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(Run.of("chat-server", "70000").err()).startsWith("s4j chat-server: Invalid value for positional parameter at index 0 (PORT): port must be from 0 to 65535, not 70000");
        assertThat(Run.of("chat-server", "0", "--backend", "kqueue").exitCode()).isEqualTo(1);
        assertThat(Run.of("chat-server", "0", "--max-queue", "0").err())
                .startsWith("s4j chat-server: Invalid value for option '--max-queue': bytes must be from 1 to 1073741824, not 0");
        assertThat(Run.of("chat-server").exitCode()).isEqualTo(1);
        assertThat(Run.of("chat-client", "pat", "localhost").exitCode()).isEqualTo(1);
    }

    @Test
    void helpDescribesBothPrograms() {
        assertThat(Run.of("--help").out()).contains("chat-server", "chat-client");
        assertThat(Run.of("chat-client", "--help").out()).contains("/me ACTION", "/msg NICK TEXT", "/who", "/q");
        assertThat(Run.of("chat-server", "--help").out().replaceAll("\\s+", " "))
                .contains("--max-queue", "--max-connections", "--quiet", "--host")
                .contains("(default: 1000)", "(default: 131072)");
    }
}
