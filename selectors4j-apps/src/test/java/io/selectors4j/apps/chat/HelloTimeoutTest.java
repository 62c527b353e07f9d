package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.common.Program;
import io.selectors4j.testkit.ChildJvm;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chat's time to say hello, on the real programs: a connection that does not join in time gets an
 * error saying so and is closed, so that with {@code --max-connections 2} two silent sockets no longer
 * lock everyone out; one that joined in time stays, however quiet.
 */
@Timeout(120)
class HelloTimeoutTest {
    @Test
    void silentSocketsAreClosedSoThatOthersCanJoin() throws Exception {
        try (ChildJvm server = Program.start("chat-server", "0", "--max-connections", "2", "--hello-timeout", "0.5")) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", Program.listeningPort(server.nextLine()));
            try (ChatTestClient first = ChatTestClient.connect(address);
                 ChatTestClient second = ChatTestClient.connect(address);
                 ChatTestClient pat = ChatTestClient.connect(address)) {
                pat.send(new Packet.Hello("pat"));   // waits in the backlog behind the two silent ones

                assertThat(first.readUntilClosed()).containsExactly(new Packet.Error("no hello within 0.5 s"));
                assertThat(second.readUntilClosed()).containsExactly(new Packet.Error("no hello within 0.5 s"));
                pat.expect(new Packet.Join("pat"));
                assertThat(server.nextLine()).matches("\\('127\\.0\\.0\\.1', \\d+\\) no hello within 0\\.5 s, closing");
                assertThat(server.nextLine()).matches("\\('127\\.0\\.0\\.1', \\d+\\) no hello within 0\\.5 s, closing");
                assertThat(server.nextLine()).matches("\\('127\\.0\\.0\\.1', \\d+\\) joined as pat");

                pat.expectNothing(Duration.ofSeconds(1));   // twice the limit: a member stays, however quiet
                pat.send(new Packet.Chat(null, "still here"));
                pat.expect(new Packet.Chat("pat", "still here"));
            }
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void serveGivesItsChatTheSameLimit() throws Exception {
        try (ChildJvm server = Program.startServeChatOnly("--quiet", "--chat-hello-timeout", "0.5")) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            try (ChatTestClient silent = ChatTestClient.connect(address)) {
                assertThat(silent.readUntilClosed()).containsExactly(new Packet.Error("no hello within 0.5 s"));
            }
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void aMemberSilentPastTheIdleTimeoutIsClosedAndLeavesTheRoom() throws Exception {
        try (ChildJvm server = Program.start("chat-server", "0", "--idle-timeout", "0.5")) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", Program.listeningPort(server.nextLine()));
            try (ChatTestClient quiet = ChatTestClient.connect(address)) {
                quiet.send(new Packet.Hello("quiet"));
                quiet.expect(new Packet.Join("quiet"));
                assertThat(server.nextLine()).matches("\\('127\\.0\\.0\\.1', \\d+\\) joined as quiet");
                assertThat(server.nextLine()).matches("\\('127\\.0\\.0\\.1', \\d+\\) quiet left.*");
            }
            assertThat(server.terminate()).isZero();
        }
    }
}
