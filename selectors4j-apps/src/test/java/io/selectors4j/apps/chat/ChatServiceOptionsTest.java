package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.Needs;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chat service's options and addresses. */
@Timeout(120)
class ChatServiceOptionsTest {

    @Test
    void beyondTheConnectionLimitANewClientWaitsUntilSomeoneLeaves() throws Exception {
        try (ChatServerFixture server = new ChatServerFixture(new ChatOptions(ChatOptions.DEFAULT_MAX_QUEUE, 2))) {
            InetSocketAddress address = server.address();
            try (ChatTestClient pat = ChatTestClient.join(address, "pat");
                 ChatTestClient chris = ChatTestClient.join(address, "chris");
                 ChatTestClient third = ChatTestClient.connect(address)) {
                third.send(new Packet.Hello("sam"));
                third.expectNothing(Duration.ofMillis(500));

                chris.close();

                third.expect(new Packet.Join("sam"));
                pat.expect(new Packet.Join("chris"), new Packet.Leave("chris"), new Packet.Join("sam"));
            }
        }
    }

    @Test
    void servesIpv6AndLogsPythonsFourPartAddress() throws Exception {
        try (ChatServerFixture server = new ChatServerFixture(new InetSocketAddress(Needs.ipv6Loopback(), 0),
                ChatOptions.defaults());
             ChatTestClient pat = ChatTestClient.join(server.address(), "pat")) {
            pat.send(new Packet.Chat(null, "over v6"));
            pat.expect(new Packet.Chat("pat", "over v6"));
            assertThat(server.log()).first().asString().matches("\\('::1', \\d+, 0, 0\\) joined as pat");
        }
    }
}
