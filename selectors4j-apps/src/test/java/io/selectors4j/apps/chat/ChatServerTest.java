package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The chat service end to end: real loopback sockets, the real event loop. */
@Timeout(120)
class ChatServerTest {
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

    @Test
    void threeClientsSeeJoinChatAndLeaveInTheSameOrder() throws IOException {
        try (ChatTestClient pat = ChatTestClient.join(address, "pat");
             ChatTestClient chris = ChatTestClient.join(address, "chris");
             ChatTestClient sam = ChatTestClient.join(address, "sam")) {
            List<Packet> patSaw = new ArrayList<>();
            List<Packet> chrisSaw = new ArrayList<>();
            List<Packet> samSaw = new ArrayList<>();
            patSaw.add(pat.next());
            patSaw.add(pat.next());
            chrisSaw.add(chris.next());
            // Each step waits until everyone has its effect, so the order of the steps is the order sent.
            Packet[] steps = {new Packet.Chat(null, "hi all"), new Packet.Emote(null, "waves"), new Packet.Who()};
            ChatTestClient[] senders = {pat, sam, chris};
            for (int i = 0; i < steps.length; i++) {
                senders[i].send(steps[i]);
                if (!(steps[i] instanceof Packet.Who)) {
                    patSaw.add(pat.next());
                    samSaw.add(sam.next());
                }
                chrisSaw.add(chris.next());
            }
            sam.close();
            patSaw.add(pat.next());
            chrisSaw.add(chris.next());
            chris.send(new Packet.Chat(null, "bye sam"));
            patSaw.add(pat.next());
            chrisSaw.add(chris.next());

            assertThat(patSaw).containsExactly(new Packet.Join("chris"), new Packet.Join("sam"),
                    new Packet.Chat("pat", "hi all"), new Packet.Emote("sam", "waves"),
                    new Packet.Leave("sam"), new Packet.Chat("chris", "bye sam"));
            assertThat(chrisSaw).containsExactly(new Packet.Join("sam"), new Packet.Chat("pat", "hi all"),
                    new Packet.Emote("sam", "waves"), new Packet.Users(List.of("pat", "chris", "sam")),
                    new Packet.Leave("sam"), new Packet.Chat("chris", "bye sam"));
            assertThat(samSaw).containsExactly(new Packet.Chat("pat", "hi all"), new Packet.Emote("sam", "waves"));
        }
    }

    @Test
    void aHundredClientsChattingAtOnceEachGetEveryMessageOnceInTheServersOrder() throws Exception {
        int clients = 100;
        int messagesEach = 10;
        List<ChatTestClient> all = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                all.add(ChatTestClient.join(address, "user" + i));
            }
            for (int i = 0; i < clients; i++) {
                for (int j = i + 1; j < clients; j++) {
                    all.get(i).expect(new Packet.Join("user" + j));
                }
            }
            CountDownLatch go = new CountDownLatch(1);
            List<List<Packet>> received = Collections.synchronizedList(new ArrayList<>());
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<List<Packet>>> readers = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    ChatTestClient client = all.get(i);
                    String nick = "user" + i;
                    pool.submit(() -> {
                        go.await();
                        for (int m = 0; m < messagesEach; m++) {
                            client.send(new Packet.Chat(null, nick + " #" + m));
                        }
                        return null;
                    });
                    readers.add(pool.submit(() -> {
                        List<Packet> packets = new ArrayList<>();
                        for (int m = 0; m < clients * messagesEach; m++) {
                            packets.add(client.next());
                        }
                        return packets;
                    }));
                }
                go.countDown();
                for (Future<List<Packet>> reader : readers) {
                    received.add(reader.get(100, TimeUnit.SECONDS));
                }
            }
            List<Packet> first = received.getFirst();
            assertThat(first).doesNotHaveDuplicates().hasSize(clients * messagesEach);
            for (int i = 0; i < clients; i++) {
                String nick = "user" + i;
                assertThat(first.stream().filter(p -> ((Packet.Chat) p).nick().equals(nick)))
                        .as("messages of %s in the order sent", nick)
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, messagesEach)
                                .mapToObj(m -> (Packet) new Packet.Chat(nick, nick + " #" + m)).toList());
            }
            for (List<Packet> other : received) {
                assertThat(other).isEqualTo(first);
            }
        } finally {
            all.forEach(ChatTestClient::close);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"shout\"}                        | true  | unknown type: shout                      | false",
        "{\"type\":\"chat\"}                         | true  | missing field: message                   | false",
        "{\"message\":\"x\"}                         | true  | missing field: type                      | false",
        "{\"type\":\"chat\",\"message\":\"x\"}       | false | say hello first                          | false",
        "{\"type\":\"hello\"}                        | false | missing field: nick                      | false",
        "{\"type\":\"hello\",\"nick\":\"\"}          | false | nick must be 1 to 32 characters          | false",
        "{\"type\":\"hello\",\"nick\":\"a\\u0007b\"} | false | nick must not contain control characters | false",
        "{\"type\":\"hello\",\"nick\":\"watcher\"}   | false | nick already in use: watcher             | false",
        "{\"type\":\"hello\",\"nick\":\"other\"}     | true  | already joined as bad                    | false",
        "{\"type\":\"dm\",\"to\":\"ghost\",\"message\":\"x\"} | true | no such user: ghost             | false",
        "[\"not\", \"an\", \"object\"]               | true  | a packet must be a JSON object           | false",
        "{\"type\":\"chat\",\"message\":\"x\"        | true  | invalid JSON                             | true",
        "not json at all                             | false | invalid JSON                             | true"})
    void eachBadInputGetsItsErrorWhileTheOthersChatUndisturbed(String json, boolean joined, String error, boolean closes)
            throws IOException {
        try (ChatTestClient watcher = ChatTestClient.join(address, "watcher");
             ChatTestClient talker = ChatTestClient.join(address, "talker");
             ChatTestClient bad = joined ? ChatTestClient.join(address, "bad") : ChatTestClient.connect(address)) {
            watcher.expect(new Packet.Join("talker"));
            List<ChatTestClient> everyone = joined ? List.of(watcher, talker, bad) : List.of(watcher, talker);
            if (joined) {
                watcher.expect(new Packet.Join("bad"));
                talker.expect(new Packet.Join("bad"));
            }
            talker.send(new Packet.Chat(null, "before"));
            for (ChatTestClient client : everyone) {
                client.expect(new Packet.Chat("talker", "before"));
            }

            bad.sendJson(json);
            bad.expect(new Packet.Error(error));
            if (closes) {
                assertThat(bad.readUntilClosed()).isEmpty();
                if (joined) {
                    watcher.expect(new Packet.Leave("bad"));
                    talker.expect(new Packet.Leave("bad"));
                }
            }
            talker.send(new Packet.Chat(null, "after"));

            watcher.expect(new Packet.Chat("talker", "after"));
            talker.expect(new Packet.Chat("talker", "after"));
            if (joined && !closes) {
                bad.expect(new Packet.Chat("talker", "after"));
            }
        }
    }

    @Test
    void invalidUtf8GetsItsErrorAndTheConnectionCloses() throws IOException {
        try (ChatTestClient watcher = ChatTestClient.join(address, "watcher");
             ChatTestClient bad = ChatTestClient.join(address, "bad")) {
            watcher.expect(new Packet.Join("bad"));
            byte[] json = "{\"type\":\"chat\",\"message\":\"\u00ff\u00ff\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            byte[] frame = new byte[json.length + 2];
            Frames.writeHeader(frame, 0, json.length);
            System.arraycopy(json, 0, frame, 2, json.length);
            bad.sendRaw(frame);

            assertThat(bad.readUntilClosed()).containsExactly(new Packet.Error("invalid UTF-8"));
            watcher.expect(new Packet.Leave("bad"));
        }
    }

    @Test
    void packetsBeforeHelloAreRefusedAndLeavingBeforeHelloSendsNoLeave() throws IOException {
        try (ChatTestClient watcher = ChatTestClient.join(address, "watcher");
             ChatTestClient early = ChatTestClient.connect(address)) {
            early.send(new Packet.Chat(null, "hi"));
            early.send(new Packet.Who());
            early.expect(new Packet.Error("say hello first"), new Packet.Error("say hello first"));
            early.close();
            watcher.send(new Packet.Chat(null, "still here"));

            watcher.expect(new Packet.Chat("watcher", "still here"));
        }
    }

    @Test
    void whoAnswersTheAskerWithTheUsersInJoinOrder() throws IOException {
        try (ChatTestClient pat = ChatTestClient.join(address, "pat");
             ChatTestClient chris = ChatTestClient.join(address, "chris")) {
            pat.expect(new Packet.Join("chris"));
            chris.send(new Packet.Who());
            chris.send(new Packet.Dm(null, "pat", "psst"));

            chris.expect(new Packet.Users(List.of("pat", "chris")), new Packet.Dm("chris", "pat", "psst"));
            pat.expect(new Packet.Dm("chris", "pat", "psst"));
        }
    }

    @Test
    void randomGarbageFromFuzzingClientsNeverDisturbsTheOthers() throws IOException {
        Random random = new Random(868);
        try (ChatTestClient pat = ChatTestClient.join(address, "pat");
             ChatTestClient chris = ChatTestClient.join(address, "chris")) {
            pat.expect(new Packet.Join("chris"));
            for (int round = 0; round < 40; round++) {
                try (ChatTestClient fuzzer = ChatTestClient.connect(address)) {
                    if (round % 2 == 0) {
                        fuzzer.send(new Packet.Hello("fuzz" + round));
                    }
                    byte[] garbage = new byte[1 + random.nextInt(3000)];
                    random.nextBytes(garbage);
                    fuzzer.sendRaw(garbage);
                    pat.send(new Packet.Chat(null, "round " + round));
                    for (ChatTestClient client : List.of(pat, chris)) {
                        Packet packet = client.next();
                        while (packet instanceof Packet.Join || packet instanceof Packet.Leave) {
                            assertThat(packet.toString()).contains("nick=fuzz");
                            packet = client.next();
                        }
                        assertThat(packet).isEqualTo(new Packet.Chat("pat", "round " + round));
                    }
                }
            }
            chris.send(new Packet.Chat(null, "all good"));
            for (ChatTestClient client : List.of(pat, chris)) {
                Packet packet = client.next();
                // a fuzzer's join and leave may come after the chats of other connections: no order
                // holds between what different connections send
                while (packet instanceof Packet.Join || packet instanceof Packet.Leave) {
                    assertThat(packet.toString()).contains("nick=fuzz");
                    packet = client.next();
                }
                assertThat(packet).isEqualTo(new Packet.Chat("chris", "all good"));
            }
        }
    }

    @Test
    void disconnectingMidHeaderOrMidPayloadIsALeaveAndNothingMore() throws Exception {
        try (ChatTestClient watcher = ChatTestClient.join(address, "watcher")) {
            byte[] frame = new PacketEncoder().encode(new Packet.Chat(null, "never finished"));
            for (int cut : new int[] {1, 7}) {
                ChatTestClient cutter = ChatTestClient.join(address, "cutter" + cut);
                cutter.sendRaw(java.util.Arrays.copyOf(frame, cut));
                cutter.close();
                watcher.expect(new Packet.Join("cutter" + cut), new Packet.Leave("cutter" + cut));
                server.awaitLog(line -> line.endsWith("cutter" + cut + " disconnected in the middle of a packet"));
            }
            watcher.send(new Packet.Chat(null, "fine"));
            watcher.expect(new Packet.Chat("watcher", "fine"));
        }
    }

    @Test
    void aClientThatHalfClosesGetsEveryAnswerBeforeTheServerCloses() throws IOException {
        try (ChatTestClient watcher = ChatTestClient.join(address, "watcher");
             ChatTestClient scripted = ChatTestClient.connect(address)) {
            scripted.send(new Packet.Hello("script"));
            scripted.send(new Packet.Chat(null, "one shot"));
            scripted.send(new Packet.Who());
            scripted.shutdownOutput();

            assertThat(scripted.readUntilClosed()).containsExactly(new Packet.Join("script"),
                    new Packet.Chat("script", "one shot"), new Packet.Users(List.of("watcher", "script")));
            watcher.expect(new Packet.Join("script"), new Packet.Chat("script", "one shot"), new Packet.Leave("script"));
        }
    }

    @Test
    void logsJoinsLeavesAndErrorsOneLineEach() throws Exception {
        try (ChatTestClient pat = ChatTestClient.join(address, "pat")) {
            pat.sendJson("{\"type\":\"who\",\"x\":}");
            assertThat(pat.readUntilClosed()).containsExactly(new Packet.Error("invalid JSON"));
        }
        server.awaitLog(line -> line.endsWith(" pat left"));
        assertThat(server.log()).hasSize(3);
        assertThat(server.log().get(0)).matches("\\('127\\.0\\.0\\.1', \\d+\\) joined as pat");
        assertThat(server.log().get(1)).matches("\\('127\\.0\\.0\\.1', \\d+\\) pat error: invalid JSON, closing");
        assertThat(server.log().get(2)).matches("\\('127\\.0\\.0\\.1', \\d+\\) pat left");
    }
}
