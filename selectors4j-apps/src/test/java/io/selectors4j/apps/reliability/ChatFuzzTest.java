package io.selectors4j.apps.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.selectors4j.apps.chat.ChatTestClient;
import io.selectors4j.apps.common.Program;
import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzing the chat server: many clients send random bytes and mutated, truncated, oversized and
 * ill-typed frames (seeded, so a failure can be replayed with {@code -Ds4j.fuzz.seed=N}) while a
 * sentinel chats with three observers. The observers must get every sentinel message, in order and
 * intact, and nothing that is not a packet; every error the fuzzers get is a plain message with no
 * internal detail; the server lives on, quiet on stderr, and is back to its descriptors afterwards.
 */
class ChatFuzzTest {
    private static final List<String> TEMPLATES = List.of(
            "{\"type\": \"hello\", \"nick\": \"fuzz\"}",
            "{\"type\": \"chat\", \"message\": \"hi there\"}",
            "{\"type\": \"emote\", \"message\": \"waves\"}",
            "{\"type\": \"dm\", \"to\": \"obs0\", \"message\": \"psst\"}",
            "{\"type\": \"who\"}",
            "{\"type\": \"users\", \"nicks\": [\"a\", \"b\"]}",
            "{\"type\": \"hello\", \"nick\": \"\\u0007bell\"}",
            "{\"type\": \"chat\", \"message\": \"\\ud800\"}",
            "[\"type\", \"chat\"]",
            "{\"type\": 7, \"message\": {\"deep\": [1, 2, 3]}}");
    private static final List<String> INTERNAL_DETAILS = List.of(
            "Exception", "java.", "io.selectors4j", "\tat ", "com.fasterxml", "line: ", "column: ", "Source:");

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void randomAndMutatedFramesNeverReachOrDisturbOtherClients() throws Exception {
        long seed = Long.getLong("s4j.fuzz.seed", System.nanoTime());
        int fuzzers = Limits.count("s4j.fuzz.clients", 40, 100);
        int framesEach = Limits.count("s4j.fuzz.inputs", 500, 5_000);
        int sentinelMessages = 200;
        try (ChildJvm server = ChildJvm.startServer(Program.server(port -> List.of("chat-server", Integer.toString(port), "--quiet"),
                "listening on 127\\.0\\.0\\.1 port PORT", Ports.Kind.TCP))) {
            int baselineFds = server.steadyOpenFds();
            List<ChatTestClient> observers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ChatTestClient observer = ChatTestClient.connect(server.port());
                observer.sendJson("{\"type\": \"hello\", \"nick\": \"obs" + i + "\"}");
                observer.collectInBackground();
                observers.add(observer);
            }
            AtomicLong framesSent = new AtomicLong();
            AtomicLong connections = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            List<String> leaks = new ArrayList<>();
            try (ChatTestClient sentinel = ChatTestClient.connect(server.port());
                 ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                sentinel.sendJson("{\"type\": \"hello\", \"nick\": \"sentinel\"}");
                sentinel.collectInBackground(); // what it is sent must not fill its queue at the server
                List<Future<List<String>>> running = new ArrayList<>();
                for (int f = 0; f < fuzzers; f++) {
                    Random random = new Random(seed + f);
                    running.add(pool.submit(() -> fuzz(server.port(), random, framesEach, framesSent, connections, errors)));
                }
                for (int i = 0; i < sentinelMessages; i++) {
                    sentinel.sendJson("{\"type\": \"chat\", \"message\": \"sentinel " + i + " Zoë \\u2603 \\\"q\\\"\"}");
                    Thread.sleep(Duration.ofMillis(5));
                }
                for (Future<List<String>> fuzzer : running) {
                    leaks.addAll(fuzzer.get(3, TimeUnit.MINUTES));
                }
                sentinel.sendJson("{\"type\": \"chat\", \"message\": \"sentinel done\"}");
                for (ChatTestClient observer : observers) {
                    awaitMessage(observer, "sentinel done");
                }
            }
            System.out.printf("chat fuzz: seed %d, %d clients, %d inputs sent on %d connections, %d error packets back%n",
                    seed, fuzzers, framesSent.get(), connections.get(), errors.get());

            for (ChatTestClient observer : observers) {
                Received received = Received.parse(observer.collected());
                List<String> fromSentinel = received.packets().stream()
                        .filter(p -> p.path("type").asText().equals("chat") && p.path("nick").asText().equals("sentinel"))
                        .map(p -> p.path("message").asText()).toList();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < sentinelMessages; i++) {
                    expected.add("sentinel " + i + " Zoë \u2603 \"q\"");
                }
                expected.add("sentinel done");
                assertThat(fromSentinel).as("seed %d", seed).containsExactlyElementsOf(expected);
                assertThat(received.invalid()).as("frames that were not packets, seed %d", seed).isEmpty();
                observer.close();
            }
            assertThat(leaks).as("errors with internal details, seed %d", seed).isEmpty();
            assertThat(errors.get()).as("error packets the fuzzers got").isGreaterThan(framesSent.get() / 10);
            assertThat(server.alive()).as("server alive; stderr %s", server.stderr()).isTrue();
            assertThat(server.unexpectedStderr()).as("stderr").isEmpty();
            assertThat(server.awaitOpenFdsAtMost(baselineFds)).as("descriptors afterwards").isLessThanOrEqualTo(baselineFds);
        }
    }

    /**
     * One fuzzing client: connection after connection, an optional hello and one to five hostile
     * inputs, then a FIN; it waits for the server to answer and close, and returns the answers that
     * were not plain packets or gave internal details away.
     */
    private static List<String> fuzz(int port, Random random, int frames, AtomicLong sent, AtomicLong connections,
            AtomicLong errors)
            throws IOException, InterruptedException {
        List<String> leaks = new ArrayList<>();
        for (int i = 0; i < frames; connections.incrementAndGet()) {
            try (ChatTestClient client = ChatTestClient.connect(port)) {
                client.collectInBackground();
                if (random.nextBoolean()) {
                    client.sendJson("{\"type\": \"hello\", \"nick\": \"f" + random.nextInt(1_000_000) + "\"}");
                }
                for (int k = 1 + random.nextInt(5); k > 0 && i < frames; k--, i++) {
                    try {
                        client.sendRaw(nextInput(random));
                        sent.incrementAndGet();
                    } catch (IOException closedByServer) {
                        break;
                    }
                }
                if (!client.finish(Duration.ofSeconds(20))) {
                    leaks.add("the server neither answered nor closed a half-closed connection");
                }
                Received received = Received.parse(client.collected());
                leaks.addAll(leaks(received));
                errors.addAndGet(received.packets().stream().filter(p -> p.path("type").asText().equals("error")).count());
            }
        }
        return leaks;
    }

    private static List<String> leaks(Received received) {
        List<String> found = new ArrayList<>(received.invalid());
        for (JsonNode packet : received.packets()) {
            if (packet.path("type").asText().equals("error")) {
                String message = packet.path("message").asText();
                if (INTERNAL_DETAILS.stream().anyMatch(message::contains) || message.length() > 200) {
                    found.add(message);
                }
            }
        }
        return found;
    }

    /** One hostile input: raw garbage, or a frame that is mutated, truncated, oversized or ill-typed. */
    static byte[] nextInput(Random random) {
        byte[] template = TEMPLATES.get(random.nextInt(TEMPLATES.size())).getBytes(StandardCharsets.UTF_8);
        return switch (random.nextInt(6)) {
            case 0 -> {
                byte[] garbage = new byte[1 + random.nextInt(100)];
                random.nextBytes(garbage);
                yield garbage;
            }
            case 1 -> ChatTestClient.frame(mutate(template, random));
            case 2 -> {
                byte[] framed = ChatTestClient.frame(template);
                yield java.util.Arrays.copyOf(framed, 1 + random.nextInt(framed.length - 1));
            }
            case 3 -> {
                byte[] oversized = new byte[2 + random.nextInt(2_000)];
                oversized[0] = (byte) 0xFF;
                oversized[1] = (byte) 0xFF;
                yield oversized;
            }
            case 4 -> ChatTestClient.frame(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, '{', '}'});
            default -> ChatTestClient.frame(template);
        };
    }

    private static byte[] mutate(byte[] template, Random random) {
        byte[] mutated = template.clone();
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
            int at = random.nextInt(mutated.length);
            mutated[at] = switch (random.nextInt(3)) {
                case 0 -> (byte) random.nextInt(256);
                case 1 -> (byte) "{}[]\",:\\".charAt(random.nextInt(8));
                default -> (byte) (mutated[at] ^ (1 << random.nextInt(8)));
            };
        }
        return mutated;
    }

    private static void awaitMessage(ChatTestClient client, String message) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Received.parse(client.collected()).packets().stream().noneMatch(p -> p.path("message").asText().equals(message))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no message \"" + message + "\" within 30 s");
            }
            Thread.sleep(Duration.ofMillis(20));
        }
    }

    /**
     * The frames a client got, parsed with Jackson rather than the server's decoder: the JSON objects
     * with a string {@code type}, and the text of every frame that was not one.
     */
    private record Received(List<JsonNode> packets, List<String> invalid) {
        private static final ObjectMapper JSON = new ObjectMapper();

        static Received parse(List<byte[]> frames) {
            List<JsonNode> packets = new ArrayList<>();
            List<String> invalid = new ArrayList<>();
            for (byte[] frame : frames) {
                try {
                    JsonNode packet = JSON.readTree(frame);
                    if (packet != null && packet.isObject() && packet.path("type").isTextual()) {
                        packets.add(packet);
                        continue;
                    }
                } catch (IOException notJson) {
                    // counted below
                }
                invalid.add(new String(frame, StandardCharsets.UTF_8));
            }
            return new Received(packets, invalid);
        }
    }
}
