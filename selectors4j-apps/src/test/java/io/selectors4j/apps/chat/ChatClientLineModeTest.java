package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.common.Program;
import io.selectors4j.testkit.ChildJvm;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real {@code s4j chat-client} in line mode (stdin a pipe) against the real server. */
@Timeout(120)
class ChatClientLineModeTest {
    private ChatServerFixture server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        server = new ChatServerFixture();
        address = server.address();
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    private ChildJvm client(String nick) throws IOException {
        return Program.start("chat-client", nick, "127.0.0.1", Integer.toString(address.getPort()));
    }

    @Test
    void everyKindOfPacketIsOneLineAndEveryCommandSendsTheRightPacket() throws Exception {
        try (ChildJvm pat = client("pat")) {
            assertThat(pat.nextLine()).isEqualTo("*** pat has joined the chat");
            try (ChatTestClient chris = ChatTestClient.join(address, "chris")) {
                assertThat(pat.nextLine()).isEqualTo("*** chris has joined the chat");

                pat.type("hello all");
                assertThat(chris.next()).isEqualTo(new Packet.Chat("pat", "hello all"));
                assertThat(pat.nextLine()).isEqualTo("pat: hello all");

                pat.type("");
                pat.type("/me waves");
                assertThat(chris.next()).isEqualTo(new Packet.Emote("pat", "waves"));
                assertThat(pat.nextLine()).isEqualTo("[pat waves]");

                pat.type("/msg chris psst, Zoë 😀");
                assertThat(chris.next()).isEqualTo(new Packet.Dm("pat", "chris", "psst, Zoë 😀"));
                assertThat(pat.nextLine()).isEqualTo("pat -> chris: psst, Zoë 😀");

                pat.type("/who");
                assertThat(pat.nextLine()).isEqualTo("*** users: pat, chris");

                pat.type("/msg ghost boo");
                assertThat(pat.nextLine()).isEqualTo("*** error: no such user: ghost");

                pat.type("/dance");
                assertThat(pat.nextLine()).isEqualTo(ClientInput.HELP);

                chris.send(new Packet.Chat(null, "hey pat"));
                chris.send(new Packet.Emote(null, "bows"));
                assertThat(pat.nextLine()).isEqualTo("chris: hey pat");
                assertThat(pat.nextLine()).isEqualTo("[chris bows]");
                chris.expect(new Packet.Chat("chris", "hey pat"), new Packet.Emote("chris", "bows"));
                chris.expectNothing(Duration.ofMillis(300));   // the empty line and the bad commands sent nothing
            }
            assertThat(pat.nextLine()).isEqualTo("*** chris has left the chat");

            pat.type("/q");
            assertThat(pat.exitCode()).isZero();
            assertThat(pat.unreadLines()).isEmpty();
        }
    }

    @Test
    void aLineTooLongForAFrameIsRefusedLocallyAndTheClientCarriesOn() throws Exception {
        try (ChatTestClient chris = ChatTestClient.join(address, "chris");
             ChildJvm pat = client("pat")) {
            chris.expect(new Packet.Join("pat"));
            assertThat(pat.nextLine()).isEqualTo("*** pat has joined the chat");

            pat.type("y".repeat(70_000));
            pat.type("short");

            assertThat(pat.nextLine()).isEqualTo("*** error: line too long to send");
            assertThat(pat.nextLine()).isEqualTo("pat: short");
            chris.expect(new Packet.Chat("pat", "short"));
        }
    }

    @Test
    void anUnreadablePacketFromTheServerEndsTheClientWithFailure() throws Exception {
        try (java.net.ServerSocket fake = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             ChildJvm pat = Program.start("chat-client", "pat", "127.0.0.1", Integer.toString(fake.getLocalPort()));
             java.net.Socket connection = fake.accept()) {
            connection.getOutputStream().write(new byte[] {0, 3, 'n', 'o', '!'});

            assertThat(pat.exitCode()).isEqualTo(2);
            assertThat(pat.stderr()).isEqualTo("s4j chat-client: unreadable packet from the server: invalid JSON\n");
        }
    }

    @Test
    void quittingIsALeaveForTheOthersAndSendsNothing() throws Exception {
        try (ChatTestClient chris = ChatTestClient.join(address, "chris");
             ChildJvm pat = client("pat")) {
            chris.expect(new Packet.Join("pat"));
            assertThat(pat.nextLine()).isEqualTo("*** pat has joined the chat");

            pat.type("/q");

            assertThat(pat.exitCode()).isZero();
            chris.expect(new Packet.Leave("pat"));
            server.awaitLog(line -> line.endsWith(" pat left"));
            assertThat(server.log()).noneMatch(line -> line.contains("error"));
        }
    }

    @Test
    void endOfInputQuitsLikeSlashQ() throws Exception {
        try (ChatTestClient chris = ChatTestClient.join(address, "chris");
             ChildJvm pat = client("pat")) {
            chris.expect(new Packet.Join("pat"));
            assertThat(pat.nextLine()).isEqualTo("*** pat has joined the chat");

            pat.endInput();

            assertThat(pat.exitCode()).isZero();
            chris.expect(new Packet.Leave("pat"));
        }
    }

    @Test
    void scriptedInputThatEndsAtOnceIsSentOnceJoinedAndItsEchoShownBeforeLeaving() throws Exception {
        try (ChatTestClient chris = ChatTestClient.join(address, "chris")) {
            for (int run = 0; run < 3; run++) {
                try (ChildJvm pat = client("pat")) {
                    pat.type("hi " + run);   // as printf 'hi\n' | s4j chat-client ...: input ends at once
                    pat.endInput();

                    assertThat(pat.exitCode()).as("stderr: %s", pat.stderr()).isZero();
                    assertThat(pat.allLines()).containsExactly("*** pat has joined the chat", "pat: hi " + run);
                    chris.expect(new Packet.Join("pat"), new Packet.Chat("pat", "hi " + run), new Packet.Leave("pat"));
                }
            }
        }
    }

    @Test
    void aNickInUseIsReportedEvenWhenInputEndsAtOnce() throws Exception {
        try (ChatTestClient watcher = ChatTestClient.join(address, "watcher")) {
            for (int run = 0; run < 3; run++) {
                try (ChildJvm other = client("watcher")) {
                    other.type("hi");        // as printf 'hi\n' | s4j chat-client watcher ...
                    other.endInput();

                    assertThat(other.exitCode()).isEqualTo(2);
                    assertThat(other.allLines()).containsExactly("*** error: nick already in use: watcher");
                    assertThat(other.stderr()).isEqualTo("s4j chat-client: not joined: nick already in use: watcher\n");
                }
            }
            watcher.expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    void packetsOfUnknownTypesAreSkippedWithOneNotice() throws Exception {
        try (java.net.ServerSocket newer = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             ChildJvm pat = Program.start("chat-client", "pat", "127.0.0.1", Integer.toString(newer.getLocalPort()));
             java.net.Socket connection = newer.accept()) {
            var out = connection.getOutputStream();
            out.write(frame("{\"type\": \"join\", \"nick\": \"pat\"}"));
            out.write(frame("{\"type\": \"party\", \"nick\": \"kim\", \"balloons\": 99}"));
            out.write(frame("{\"type\": \"poll\", \"question\": \"lunch?\"}"));
            out.write(frame("{\"type\": \"chat\", \"nick\": \"kim\", \"message\": \"still here\"}"));

            assertThat(pat.nextLine()).isEqualTo("*** pat has joined the chat");
            assertThat(pat.nextLine()).isEqualTo(
                    "*** ignoring packets of types this client does not know (first: party); the server may be newer");
            assertThat(pat.nextLine()).isEqualTo("kim: still here");
            pat.type("/q");
            connection.setSoTimeout((int) ChildJvm.PATIENCE.toMillis());
            assertThat(connection.getInputStream().readAllBytes()).as("the hello, then the client's half-close")
                    .isEqualTo(frame("{\"type\":\"hello\",\"nick\":\"pat\"}"));
            connection.shutdownOutput();   // the server's answer to the half-close
            assertThat(pat.exitCode()).as("stderr: %s", pat.stderr()).isZero();
            assertThat(pat.allLines()).hasSize(3);
        }
    }

    private static byte[] frame(String json) {
        byte[] payload = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] frame = new byte[payload.length + 2];
        frame[0] = (byte) (payload.length >> 8);
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        return frame;
    }

    @Test
    void aNickInUseIsShownAndTheClientExitsWithFailure() throws Exception {
        try (ChatTestClient chris = ChatTestClient.join(address, "chris");
             ChildJvm other = client("chris")) {
            assertThat(other.nextLine()).isEqualTo("*** error: nick already in use: chris");
            assertThat(other.exitCode()).isEqualTo(2);
            assertThat(other.stderr()).isEqualTo("s4j chat-client: not joined: nick already in use: chris\n");
        }
    }

    @Test
    void anInvalidNickIsAUsageError() throws Exception {
        try (ChildJvm bad = client("x".repeat(33))) {
            assertThat(bad.exitCode()).isEqualTo(1);
            assertThat(bad.stderr()).startsWith("s4j chat-client: nick must be 1 to 32 characters");
        }
    }

    @Test
    void theServerGoingAwayEndsTheClientWithFailure() throws Exception {
        try (ChildJvm pat = client("pat")) {
            assertThat(pat.nextLine()).isEqualTo("*** pat has joined the chat");

            server.close();

            assertThat(pat.exitCode()).isEqualTo(2);
            // The loop closes by resetting its connections; an orderly close reads as such.
            assertThat(pat.stderr()).matches("s4j chat-client: (the server closed the connection|connection lost: .*ECONNRESET.*)\n");
        }
    }

    @Test
    void aRefusedConnectionIsAOneLineFailure() throws Exception {
        int port = address.getPort();
        server.close();
        try (ChildJvm pat = Program.start("chat-client", "pat", "127.0.0.1", Integer.toString(port))) {
            assertThat(pat.exitCode()).isEqualTo(2);
            assertThat(pat.stderr()).isEqualTo("s4j chat-client: cannot connect to 127.0.0.1 port " + port
                    + ": Connection refused\n");
        }
    }
}
