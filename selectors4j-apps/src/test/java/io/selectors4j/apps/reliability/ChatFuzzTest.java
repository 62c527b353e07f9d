package io.selectors4j.apps.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
        try (ChildServer server = ChildServer.start(new ChildServer.Launch(0, null,
                port -> List.of("chat-server", Integer.toString(port), "--quiet"),
                "listening on 127\\.0\\.0\\.1 port PORT"))) {
            int baselineFds = server.steadyOpenFds();
            List<ChatClient> observers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ChatClient observer = new ChatClient(server.port());
                observer.send("{\"type\": \"hello\", \"nick\": \"obs" + i + "\"}");
                observers.add(observer);
            }
            AtomicLong framesSent = new AtomicLong();
            AtomicLong connections = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            List<String> leaks = new ArrayList<>();
            try (ChatClient sentinel = new ChatClient(server.port());
                 ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                sentinel.send("{\"type\": \"hello\", \"nick\": \"sentinel\"}");
                List<Future<List<String>>> running = new ArrayList<>();
                for (int f = 0; f < fuzzers; f++) {
                    Random random = new Random(seed + f);
                    running.add(pool.submit(() -> fuzz(server.port(), random, framesEach, framesSent, connections, errors)));
                }
                for (int i = 0; i < sentinelMessages; i++) {
                    sentinel.send("{\"type\": \"chat\", \"message\": \"sentinel " + i + " Zoë \\u2603 \\\"q\\\"\"}");
                    ChildServer.pause(Duration.ofMillis(5));
                }
                for (Future<List<String>> fuzzer : running) {
                    leaks.addAll(fuzzer.get(3, TimeUnit.MINUTES));
                }
                sentinel.send("{\"type\": \"chat\", \"message\": \"sentinel done\"}");
                for (ChatClient observer : observers) {
                    awaitMessage(observer, "sentinel done");
                }
            }
            System.out.printf("chat fuzz: seed %d, %d clients, %d inputs sent on %d connections, %d error packets back%n",
                    seed, fuzzers, framesSent.get(), connections.get(), errors.get());

            for (ChatClient observer : observers) {
                List<String> fromSentinel = observer.packets().stream()
                        .filter(p -> p.path("type").asText().equals("chat") && p.path("nick").asText().equals("sentinel"))
                        .map(p -> p.path("message").asText()).toList();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < sentinelMessages; i++) {
                    expected.add("sentinel " + i + " Zoë \u2603 \"q\"");
                }
                expected.add("sentinel done");
                assertThat(fromSentinel).as("seed %d", seed).containsExactlyElementsOf(expected);
                assertThat(observer.invalid()).as("frames that were not packets, seed %d", seed).isEmpty();
                observer.close();
            }
            assertThat(leaks).as("errors with internal details, seed %d", seed).isEmpty();
            assertThat(errors.get()).as("error packets the fuzzers got").isGreaterThan(framesSent.get() / 10);
            assertThat(server.alive()).as("server alive; stderr %s", server.stderr()).isTrue();
            assertThat(server.stderr()).isEmpty();
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
            try (ChatClient client = new ChatClient(port)) {
                if (random.nextBoolean()) {
                    client.send("{\"type\": \"hello\", \"nick\": \"f" + random.nextInt(1_000_000) + "\"}");
                }
                for (int k = 1 + random.nextInt(5); k > 0 && i < frames; k--, i++) {
                    try {
                        client.send(nextInput(random));
                        sent.incrementAndGet();
                    } catch (IOException closedByServer) {
                        break;
                    }
                }
                if (!client.finish(Duration.ofSeconds(20))) {
                    leaks.add("the server neither answered nor closed a half-closed connection");
                }
                leaks.addAll(leaks(client));
                errors.addAndGet(client.packets().stream().filter(p -> p.path("type").asText().equals("error")).count());
            }
        }
        return leaks;
    }

    private static List<String> leaks(ChatClient client) {
        List<String> found = new ArrayList<>(client.invalid());
        for (JsonNode packet : client.packets()) {
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
            case 1 -> ChatClient.frame(mutate(template, random));
            case 2 -> {
                byte[] framed = ChatClient.frame(template);
                yield java.util.Arrays.copyOf(framed, 1 + random.nextInt(framed.length - 1));
            }
            case 3 -> {
                byte[] oversized = new byte[2 + random.nextInt(2_000)];
                oversized[0] = (byte) 0xFF;
                oversized[1] = (byte) 0xFF;
                yield oversized;
            }
            case 4 -> ChatClient.frame(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, '{', '}'});
            default -> ChatClient.frame(template);
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

    private static void awaitMessage(ChatClient client, String message) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (client.packets().stream().noneMatch(p -> p.path("message").asText().equals(message))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no message \"" + message + "\" within 30 s");
            }
            ChildServer.pause(Duration.ofMillis(20));
        }
    }
}
