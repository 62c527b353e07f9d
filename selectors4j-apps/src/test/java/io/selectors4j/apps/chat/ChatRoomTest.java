package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatRoomTest {
    private final List<String> log = new ArrayList<>();
    private final ChatRoom room = new ChatRoom(log::add);
    private final PacketEncoder encoder = new PacketEncoder();

    private record Client(FakeSession session, ChatRoom.Member member) { }

    private Client connect(String peer) {
        FakeSession session = new FakeSession(peer);
        return new Client(session, room.connect(session));
    }

    private Client join(String nick) {
        Client client = connect("peer-" + nick);
        send(client, new Packet.Hello(nick));
        return client;
    }

    private void send(Client client, Packet packet) {
        byte[] frame = encoder.encode(packet);
        client.member().received(frame, 0, frame.length);
    }

    private static void sendJson(Client client, String json) {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[payload.length + 2];
        Frames.writeHeader(frame, 0, payload.length);
        System.arraycopy(payload, 0, frame, 2, payload.length);
        client.member().received(frame, 0, frame.length);
    }

    @Test
    void joinChatAndLeaveReachTheRightPeopleInOrder() {
        Client pat = join("pat");
        Client chris = join("chris");
        send(pat, new Packet.Chat(null, "hi"));
        chris.member().disconnected();

        assertThat(pat.session().take()).containsExactly(new Packet.Join("pat"), new Packet.Join("chris"),
                new Packet.Chat("pat", "hi"), new Packet.Leave("chris"));
        assertThat(chris.session().take()).containsExactly(new Packet.Join("chris"), new Packet.Chat("pat", "hi"));
        assertThat(log).containsExactly("peer-pat joined as pat", "peer-chris joined as chris", "peer-chris chris left");
    }

    @Test
    void emoteGoesToEveryoneAndDmToTargetAndSenderOnly() {
        Client pat = join("pat");
        Client chris = join("chris");
        Client sam = join("sam");
        pat.session().take();
        chris.session().take();
        sam.session().take();

        send(pat, new Packet.Emote(null, "waves"));
        send(pat, new Packet.Dm(null, "chris", "hi"));
        send(pat, new Packet.Dm(null, "pat", "note to self"));

        Packet.Emote wave = new Packet.Emote("pat", "waves");
        assertThat(pat.session().take()).containsExactly(wave, new Packet.Dm("pat", "chris", "hi"),
                new Packet.Dm("pat", "pat", "note to self"));
        assertThat(chris.session().take()).containsExactly(wave, new Packet.Dm("pat", "chris", "hi"));
        assertThat(sam.session().take()).containsExactly(wave);
    }

    @Test
    void whoListsTheUsersInJoinOrderToTheAskerOnly() {
        Client pat = join("pat");
        Client chris = join("chris");
        join("sam").member().disconnected();
        join("zoë");
        chris.session().take();
        pat.session().take();

        send(pat, new Packet.Who());

        assertThat(pat.session().take()).containsExactly(new Packet.Users(List.of("pat", "chris", "zoë")));
        assertThat(chris.session().take()).isEmpty();
    }

    @Test
    void usersTooManyForOneFrameComeInSeveralPacketsInJoinOrder() {
        List<String> nicks = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            nicks.add(String.format("%04d", i) + "😀".repeat(28));   // each astral character is 12 bytes of JSON
            send(connect("p" + i), new Packet.Hello(nicks.getLast()));
        }
        Client asker = join("asker");
        nicks.add("asker");
        asker.session().take();

        send(asker, new Packet.Who());

        List<Packet> answer = asker.session().take();
        assertThat(answer).hasSizeGreaterThan(2).allMatch(Packet.Users.class::isInstance);
        assertThat(answer.stream().flatMap(p -> ((Packet.Users) p).nicks().stream())).containsExactlyElementsOf(nicks);
    }

    @Test
    void everyPacketBeforeHelloIsAnErrorAndLeavingThenSendsNoLeave() {
        Client pat = join("pat");
        Client early = connect("early");
        send(early, new Packet.Chat(null, "hi"));
        send(early, new Packet.Emote(null, "x"));
        send(early, new Packet.Dm(null, "pat", "x"));
        send(early, new Packet.Who());
        early.member().disconnected();

        assertThat(early.session().take()).containsOnly(new Packet.Error("say hello first")).hasSize(4);
        assertThat(early.session().closed).isFalse();
        assertThat(pat.session().take()).containsExactly(new Packet.Join("pat"));
    }

    @Test
    void nickRules() {
        Client pat = join("pat");
        Client other = connect("other");
        send(other, new Packet.Hello(""));
        send(other, new Packet.Hello("x".repeat(33)));
        send(other, new Packet.Hello("tab\there"));
        send(other, new Packet.Hello("del\u007f"));
        send(other, new Packet.Hello("c1\u0085"));
        send(other, new Packet.Hello("pat"));
        send(other, new Packet.Hello("😀".repeat(32)));

        assertThat(other.session().take()).containsExactly(
                new Packet.Error("nick must be 1 to 32 characters"),
                new Packet.Error("nick must be 1 to 32 characters"),
                new Packet.Error("nick must not contain control characters"),
                new Packet.Error("nick must not contain control characters"),
                new Packet.Error("nick must not contain control characters"),
                new Packet.Error("nick already in use: pat"),
                new Packet.Join("😀".repeat(32)));
        assertThat(pat.session().take()).containsExactly(new Packet.Join("pat"), new Packet.Join("😀".repeat(32)));
    }

    @Test
    void aSecondHelloIsAnErrorAndKeepsTheFirstNick() {
        Client pat = join("pat");
        send(pat, new Packet.Hello("other"));
        send(pat, new Packet.Chat(null, "still pat"));

        assertThat(pat.session().take()).containsExactly(new Packet.Join("pat"), new Packet.Error("already joined as pat"),
                new Packet.Chat("pat", "still pat"));
        assertThat(pat.member().nick()).contains("pat");
    }

    @Test
    void aNickIsFreeAgainOnceItsUserLeft() {
        join("pat").member().disconnected();
        Client again = join("pat");

        assertThat(again.session().take()).containsExactly(new Packet.Join("pat"));
    }

    @Test
    void unknownDmTargetIsAnError() {
        Client pat = join("pat");
        send(pat, new Packet.Dm(null, "nobody", "hi"));

        assertThat(pat.session().take()).endsWith(new Packet.Error("no such user: nobody"));
    }

    @Test
    void wrongPacketsAreRefusedAndTheConnectionStaysOpen() {
        Client pat = join("pat");
        Client chris = join("chris");
        pat.session().take();
        sendJson(chris, "{\"type\":\"shout\"}");
        sendJson(chris, "{\"type\":\"chat\"}");
        sendJson(chris, "[1]");
        sendJson(chris, "{\"type\":\"leave\",\"nick\":\"pat\"}");
        send(chris, new Packet.Chat(null, "after"));

        assertThat(chris.session().take()).containsExactly(new Packet.Join("chris"),
                new Packet.Error("unknown type: shout"), new Packet.Error("missing field: message"),
                new Packet.Error("a packet must be a JSON object"), new Packet.Error("unknown type: leave"),
                new Packet.Chat("chris", "after"));
        assertThat(chris.session().closed).isFalse();
        assertThat(pat.session().take()).containsExactly(new Packet.Chat("chris", "after"));
    }

    @Test
    void aClientThatOnlySendsBadPacketsIsClosedAfterTheLimitButOneGoodPacketResetsTheCount() {
        Client pat = join("pat");
        pat.session().take();
        for (int i = 1; i < ChatRoom.MAX_ERRORS_IN_A_ROW; i++) {
            send(pat, new Packet.Dm(null, "nobody", "x"));
        }
        send(pat, new Packet.Who());
        for (int i = 1; i < ChatRoom.MAX_ERRORS_IN_A_ROW; i++) {
            send(pat, new Packet.Dm(null, "nobody", "x"));
        }
        assertThat(pat.session().closed).as("errors broken by a good packet").isFalse();

        Client spammer = connect("spammer");
        for (int i = 0; i < ChatRoom.MAX_ERRORS_IN_A_ROW + 10; i++) {
            send(spammer, new Packet.Who());
        }
        assertThat(spammer.session().take()).hasSize(ChatRoom.MAX_ERRORS_IN_A_ROW)
                .containsOnly(new Packet.Error("say hello first"));
        assertThat(spammer.session().closed).isTrue();
        assertThat(log).contains("spammer error: say hello first, closing after "
                + ChatRoom.MAX_ERRORS_IN_A_ROW + " errors in a row");
        assertThat(pat.session().take()).as("no leave for a client that never joined")
                .containsOnly(new Packet.Error("no such user: nobody"), new Packet.Users(List.of("pat")));
    }

    @Test
    void unparseableInputGetsAnErrorThenTheConnectionClosesAndTheOthersSeeALeave() {
        Client pat = join("pat");
        Client bad = join("bad");
        pat.session().take();
        byte[] garbage = {0, 3, '{', '{', '{', 0, 2, '{', '}'};
        bad.member().received(garbage, 0, garbage.length);
        send(bad, new Packet.Chat(null, "ignored after the close"));

        assertThat(bad.session().take()).containsExactly(new Packet.Join("bad"), new Packet.Error("invalid JSON"));
        assertThat(bad.session().closed).isTrue();
        assertThat(pat.session().take()).containsExactly(new Packet.Leave("bad"));
        assertThat(log).contains("peer-bad bad error: invalid JSON, closing");

        bad.member().disconnected();
        assertThat(pat.session().take()).isEmpty();
    }

    @Test
    void invalidUtf8ClosesTheConnection() {
        Client bad = join("bad");
        byte[] frame = {0, 30, '{', '"', 't', 'y', 'p', 'e', '"', ':', '"', 'c', 'h', 'a', 't', '"', ',',
            '"', 'm', 'e', 's', 's', 'a', 'g', 'e', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        bad.member().received(frame, 0, frame.length);

        assertThat(bad.session().take()).endsWith(new Packet.Error("invalid UTF-8"));
        assertThat(bad.session().closed).isTrue();
    }

    @Test
    void aChatTooLongToRelayIsRefused() {
        Client pat = join("p".repeat(32));
        pat.session().take();
        // Fits the client's frame ({"type":"chat","message":"..."} is 28 bytes around the text), not the relay.
        send(pat, new Packet.Chat(null, "a".repeat(Frames.MAX_PAYLOAD - 28)));

        assertThat(pat.session().take()).containsExactly(new Packet.Error("message too long"));
        assertThat(pat.session().closed).isFalse();
    }

    @Test
    void aMemberDroppedWhileAChatIsDeliveredLeavesAfterEveryoneGotTheChat() {
        Client pat = join("pat");
        Client slow = join("slow");
        Client sam = join("sam");
        pat.session().take();
        sam.session().take();
        slow.session().onSend = () -> slow.member().disconnected();   // as the server does over the bound

        send(pat, new Packet.Chat(null, "one"));
        send(pat, new Packet.Chat(null, "two"));

        List<Packet> expected = List.of(new Packet.Chat("pat", "one"), new Packet.Leave("slow"), new Packet.Chat("pat", "two"));
        assertThat(pat.session().take()).isEqualTo(expected);
        assertThat(sam.session().take()).isEqualTo(expected);
        assertThat(room.size()).isEqualTo(2);
    }

    @Test
    void aSenderDroppedByItsOwnEchoHasTheRestOfItsBytesIgnored() {
        Client pat = join("pat");
        Client flood = join("flood");
        pat.session().take();
        flood.session().onSend = () -> flood.member().disconnected();
        byte[] one = encoder.encode(new Packet.Chat(null, "one"));
        byte[] two = encoder.encode(new Packet.Chat(null, "two"));
        byte[] both = new byte[one.length + two.length];
        System.arraycopy(one, 0, both, 0, one.length);
        System.arraycopy(two, 0, both, one.length, two.length);
        flood.member().received(both, 0, both.length);

        assertThat(pat.session().take()).containsExactly(new Packet.Chat("flood", "one"), new Packet.Leave("flood"));
    }

    @Test
    void packetsSplitAndMergedAnyhowAreAllHandled() {
        Client pat = connect("pat");
        byte[] hello = encoder.encode(new Packet.Hello("pat"));
        byte[] chat = encoder.encode(new Packet.Chat(null, "hi"));
        byte[] both = new byte[hello.length + chat.length];
        System.arraycopy(hello, 0, both, 0, hello.length);
        System.arraycopy(chat, 0, both, hello.length, chat.length);
        pat.member().received(both, 0, 1);
        pat.member().received(both, 1, hello.length + 3);
        pat.member().received(both, hello.length + 4, both.length - hello.length - 4);

        assertThat(pat.session().take()).containsExactly(new Packet.Join("pat"), new Packet.Chat("pat", "hi"));
    }

    @Test
    void disconnectMidPacketIsLoggedAndLeavesCleanly() {
        Client pat = join("pat");
        Client cut = join("cut");
        pat.session().take();
        byte[] chat = encoder.encode(new Packet.Chat(null, "never finished"));
        cut.member().received(chat, 0, 5);
        cut.member().disconnected();

        assertThat(pat.session().take()).containsExactly(new Packet.Leave("cut"));
        assertThat(log).contains("peer-cut cut disconnected in the middle of a packet", "peer-cut cut left");
    }
}
