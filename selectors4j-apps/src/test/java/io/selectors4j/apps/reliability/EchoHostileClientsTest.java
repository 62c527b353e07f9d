package io.selectors4j.apps.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Needs;
import io.selectors4j.testkit.Proc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Slow and hostile clients all at once against each echo server: 1,000 that send and never read, 200
 * slowloris clients, and a storm of connect-and-reset. The attack lands; the server's heap stays within
 * what its queue bound implies; a well-behaved client keeps being served (see {@link AttackLatency} for
 * what is checked on CI and what in the long form).
 */
class EchoHostileClientsTest {
    private static final int NON_READERS = 1_000;
    private static final int SLOW_CLIENTS = 200;
    private static final int RESETS_PER_SECOND = 200;
    /** What this JVM and the server each hold at the peak: the attack's sockets, the probe's, and room. */
    private static final int DESCRIPTORS = NON_READERS + SLOW_CLIENTS + 300;
    /** Each server's per-connection bound (echo-server's queue, serve's high watermark): each non-reader pushes past it. */
    private static final long QUEUE_BOUND = 64 * 1024;
    /** The heap of an idle server: classes, picocli, the selector's tables. */
    private static final long BASE_HEAP_KIB = 32 * 1024;

    @ParameterizedTest
    @EnumSource(EchoServers.class)
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void heapStaysBoundedAndAWellBehavedClientKeepsItsLatency(EchoServers kind) throws Exception {
        Needs.openFiles(DESCRIPTORS);
        long boundKib = BASE_HEAP_KIB + (NON_READERS + SLOW_CLIENTS + 100) * kind.perConnectionKib();
        int rounds = Limits.count("s4j.hostile.rounds", 3, 10);
        Duration window = Duration.ofSeconds(3);
        AttackLatency latency = new AttackLatency(kind.toString(), rounds);
        // CI: 256 KiB each, four times the server's bound; the long form: 1 MiB each
        int pushEach = Limits.count("s4j.hostile.push.kib", 256, 1024) * 1024;
        long maxHeapKib = 0;
        // The heap cap is the bound itself: a server that let a peer grow its memory would die of it.
        try (ChildJvm server = ChildJvm.startServer(kind.launch()
                .withOpenFiles(Limits.hardOpenFiles()).withMaxHeap(boundKib + "k"));
             LatencyProbe probe = new LatencyProbe(server.port(), 64)) {
            probe.roundTrips(Duration.ofSeconds(1));
            server.heapUsedAfterGcKib(); // jcmd's first visit opens the JVM's attach socket: part of the baseline
            int baselineFds = server.steadyOpenFds();
            for (int round = 0; round < rounds; round++) {
                latency.baseline(round, probe.roundTrips(window));
                try (Attack attack = new Attack(server.port(), NON_READERS, SLOW_CLIENTS, RESETS_PER_SECOND,
                        new Attack.Payloads(new byte[0], new byte[] {'x'}, pushEach,
                                "GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))) {
                    Proc.HostNetwork before = Proc.hostNetwork();
                    latency.attacked(round, probe.roundTrips(window), Proc.hostNetwork().troubledSince(before));
                    attack.assertLanded(QUEUE_BOUND, 0, RESETS_PER_SECOND / 2);
                    long heapKib = server.heapUsedAfterGcKib();
                    maxHeapKib = Math.max(maxHeapKib, heapKib);
                    System.out.printf("hostile %s round %d: %s (%s), heap %d KiB%n",
                            kind, round, latency.round(round), attack.count(), heapKib);
                }
            }
            assertThat(server.alive()).as("server alive; stderr %s", server.stderr()).isTrue();
            assertThat(server.unexpectedStderr()).as("stderr").isEmpty();
            assertThat(maxHeapKib).as("heap in use after GC, KiB").isLessThanOrEqualTo(boundKib);
            assertThat(server.awaitOpenFdsAtMost(baselineFds)).as("descriptors after the attack")
                    .isLessThanOrEqualTo(baselineFds);
        }
        System.out.printf("hostile %s: heap bound %d KiB, max %d KiB%n", kind, boundKib, maxHeapKib);
        latency.check();
    }
}
