package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client that stops reading is dropped once its queue passes the bound; the others carry on. */
@Timeout(120)
class SlowReaderTest {
    private static final long MAX_QUEUE = 256 * 1024;
    /** Far more than the bound plus every kernel buffer on the way: the drop must come well before. */
    private static final int MAX_MESSAGES = 1_000;

    @Test
    void aClientThatStopsReadingIsDroppedAtTheBoundWhileTheRestContinue() throws Exception {
        try (ChatServerFixture server = new ChatServerFixture(new ChatOptions(MAX_QUEUE, 0))) {
            InetSocketAddress address = server.address();
            try (ChatTestClient talker = ChatTestClient.join(address, "talker");
                 ChatTestClient watcher = ChatTestClient.join(address, "watcher");
                 ChatTestClient sleeper = ChatTestClient.connect(address, 4096)) {
                talker.expect(new Packet.Join("watcher"));
                sleeper.send(new Packet.Hello("sleeper"));
                talker.expect(new Packet.Join("sleeper"));
                watcher.expect(new Packet.Join("sleeper"));

                String big = "x".repeat(60_000);
                int sent = 0;
                boolean dropped = false;
                while (!dropped && sent < MAX_MESSAGES) {
                    Packet.Chat chat = new Packet.Chat("talker", sent + " " + big);
                    talker.send(new Packet.Chat(null, chat.message()));
                    sent++;
                    for (ChatTestClient reader : List.of(talker, watcher)) {
                        Packet packet = reader.next();
                        if (packet.equals(new Packet.Leave("sleeper"))) {
                            dropped = true;
                            packet = reader.next();
                        }
                        assertThat(packet).isEqualTo(chat);
                    }
                }

                assertThat(dropped).as("the sleeper was dropped within %d messages", MAX_MESSAGES).isTrue();
                server.awaitLog(line -> line.endsWith("sleeper dropped: over " + MAX_QUEUE + " bytes waiting to be sent"));
                server.awaitLog(line -> line.endsWith("sleeper left"));
                talker.send(new Packet.Who());
                talker.expect(new Packet.Users(List.of("talker", "watcher")));
                watcher.send(new Packet.Chat(null, "carry on"));
                talker.expect(new Packet.Chat("watcher", "carry on"));
                watcher.expect(new Packet.Chat("watcher", "carry on"));
            }
        }
    }

    @Test
    void aFlooderThatNeverReadsIsDroppedAndEveryoneElseGetsItsMessagesInOrder() throws Exception {
        try (ChatServerFixture server = new ChatServerFixture(new ChatOptions(MAX_QUEUE, 0))) {
            InetSocketAddress address = server.address();
            try (ChatTestClient watcher = ChatTestClient.join(address, "watcher");
                 ChatTestClient flooder = ChatTestClient.connect(address, 4096)) {
                flooder.send(new Packet.Hello("flooder"));
                watcher.expect(new Packet.Join("flooder"));
                CompletableFuture<List<Packet>> seen =
                        CompletableFuture.supplyAsync(() -> readUntilLeave(watcher));

                String text = "f".repeat(1000);
                int sent = 0;
                try {
                    for (; sent < 20_000 && !seen.isDone(); sent++) {
                        flooder.send(new Packet.Chat(null, sent + " " + text));
                    }
                } catch (IOException reset) {
                    // The server dropped the flooder while it was still sending.
                }

                List<Packet> chats = seen.get(60, TimeUnit.SECONDS);
                assertThat(chats).isNotEmpty().hasSizeLessThanOrEqualTo(sent);
                for (int i = 0; i < chats.size(); i++) {
                    assertThat(chats.get(i)).isEqualTo(new Packet.Chat("flooder", i + " " + text));
                }
                server.awaitLog(line -> line.endsWith("flooder dropped: over " + MAX_QUEUE + " bytes waiting to be sent"));
                watcher.send(new Packet.Who());
                watcher.expect(new Packet.Users(List.of("watcher")));
            }
        }
    }

    /** What {@code client} reads before the flooder's leave, which must come. */
    private static List<Packet> readUntilLeave(ChatTestClient client) {
        List<Packet> packets = new ArrayList<>();
        try {
            for (Packet packet = client.next(); !packet.equals(new Packet.Leave("flooder")); packet = client.next()) {
                packets.add(packet);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return packets;
    }
}
