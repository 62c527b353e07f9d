package io.selectors4j.apps.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.chat.ChatTestClient;
import io.selectors4j.apps.common.Program;
import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Needs;
import io.selectors4j.testkit.Ports;
import io.selectors4j.testkit.Proc;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slow and hostile clients against the chat server: 1,000 that ask {@code who} before hello over and
 * over and never read the errors (each is closed once its queue passes {@code --max-queue} or after 32
 * bad packets in a row, whichever comes first), 200 slowloris clients trickling a hello a byte a second,
 * and a connect-and-reset storm. The attack lands; the heap stays within what the queue bound implies
 * and members are served after it; during it, a member's chat round trips keep being served
 * ({@link AttackLatency}: no stall on CI; in the long form, its p99 kept).
 */
class ChatHostileClientsTest {
    private static final int NON_READERS = 1_000;
    private static final int SLOW_CLIENTS = 200;
    private static final int RESETS_PER_SECOND = 200;
    /** What this JVM and the server each hold at the peak: the attack's sockets, the members', and room. */
    private static final int DESCRIPTORS = NON_READERS + SLOW_CLIENTS + 300;
    private static final int MAX_QUEUE = 64 * 1024;
    /** The queue bound, a partial frame of at most 64 KiB, and the connection's objects. */
    private static final long PER_CONNECTION_KIB = MAX_QUEUE / 1024 + 64 + 2;
    private static final long BASE_HEAP_KIB = 32 * 1024;

    private static final Attack.Payloads PAYLOADS = new Attack.Payloads(new byte[0],
            ChatTestClient.frame("{\"type\": \"who\"}"), 256 * 1024,
            ChatTestClient.frame("{\"type\": \"hello\", \"nick\": \"slowloris\"}"));

    private static ChildJvm startServer(long boundKib) {
        Needs.openFiles(DESCRIPTORS);
        return ChildJvm.startServer(Program.server(
                port -> EchoServers.withLoopBackend("chat-server", Integer.toString(port), "--quiet",
                        "--max-queue", Integer.toString(MAX_QUEUE), "--max-connections", "0"),
                "listening on 127\\.0\\.0\\.1 port PORT", Ports.Kind.TCP)
                .withOpenFiles(Limits.hardOpenFiles()).withMaxHeap(boundKib + "k"));
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void heapStaysWithinTheQueueBoundAndMembersAreServedAfterTheAttack() throws Exception {
        long boundKib = BASE_HEAP_KIB + (NON_READERS + SLOW_CLIENTS + 100) * PER_CONNECTION_KIB;
        // The heap cap is the bound itself: a server that let a peer grow its memory would die of it.
        try (ChildJvm server = startServer(boundKib); Member member = new Member(server.port(), "member")) {
            server.heapUsedAfterGcKib(); // jcmd's first visit opens the JVM's attach socket: part of the baseline
            int baselineFds = server.steadyOpenFds();
            long heapKib;
            try (Attack attack = new Attack(server.port(), NON_READERS, SLOW_CLIENTS, RESETS_PER_SECOND, PAYLOADS)) {
                member.roundTrips(Duration.ofSeconds(2));
                attack.assertLanded(MAX_QUEUE, NON_READERS, RESETS_PER_SECOND / 2);
                heapKib = server.heapUsedAfterGcKib();
                System.out.printf("hostile chat: %s, heap %d KiB after GC, bound %d KiB%n", attack.count(), heapKib, boundKib);
            }
            assertThat(heapKib).as("heap in use after GC, KiB").isLessThanOrEqualTo(boundKib);
            assertThat(member.roundTrips(Duration.ofMillis(500)).getTotalCount()).as("chats after the attack").isPositive();
            assertThat(server.alive()).as("server alive; stderr %s", server.stderr()).isTrue();
            assertThat(server.unexpectedStderr()).as("stderr").isEmpty();
            assertThat(server.awaitOpenFdsAtMost(baselineFds)).as("descriptors after the attack").isLessThanOrEqualTo(baselineFds);
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aMemberKeepsItsLatencyDuringTheAttack() throws Exception {
        long boundKib = BASE_HEAP_KIB + (NON_READERS + SLOW_CLIENTS + 100) * PER_CONNECTION_KIB;
        int rounds = Limits.count("s4j.hostile.rounds", 3, 10);
        Duration window = Duration.ofSeconds(3);
        AttackLatency latency = new AttackLatency("chat", rounds);
        try (ChildJvm server = startServer(boundKib); Member probe = new Member(server.port(), "probe")) {
            probe.roundTrips(Duration.ofSeconds(1));
            for (int round = 0; round < rounds; round++) {
                latency.baseline(round, probe.roundTrips(window));
                try (Attack attack = new Attack(server.port(), NON_READERS, SLOW_CLIENTS, RESETS_PER_SECOND, PAYLOADS)) {
                    Proc.HostNetwork before = Proc.hostNetwork();
                    latency.attacked(round, probe.roundTrips(window), Proc.hostNetwork().troubledSince(before));
                    attack.assertLanded(MAX_QUEUE, NON_READERS, RESETS_PER_SECOND / 2);
                    System.out.printf("hostile chat round %d: %s (%s)%n", round, latency.round(round), attack.count());
                }
            }
        }
        latency.check();
    }

    /** A well-behaved member: says hello, then times each chat until the server's broadcast of it comes back. */
    private static final class Member implements AutoCloseable {
        private final ChatTestClient client;
        private final String nick;

        Member(int port, String nick) throws IOException {
            this.client = ChatTestClient.connect(port);
            this.nick = nick;
            client.sendJson("{\"type\": \"hello\", \"nick\": \"" + nick + "\"}");
            awaitOwn("\"join\"");
        }

        Histogram roundTrips(Duration duration) throws IOException {
            Histogram histogram = new Histogram(60_000_000L, 3);
            long end = System.nanoTime() + duration.toNanos();
            for (int i = 0; System.nanoTime() < end; i++) {
                String message = "m" + i;
                long start = System.nanoTime();
                client.sendJson("{\"type\": \"chat\", \"message\": \"" + message + "\"}");
                awaitOwn("\"" + message + "\"");
                histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
            }
            return histogram;
        }

        /** Reads packets until one from this member holds {@code marker}. */
        private void awaitOwn(String marker) throws IOException {
            while (true) {
                String packet = client.nextJson();
                if (packet.contains("\"" + nick + "\"") && packet.contains(marker)) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
