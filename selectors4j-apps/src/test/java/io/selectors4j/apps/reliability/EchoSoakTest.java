package io.selectors4j.apps.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Needs;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Soak: each echo server holds as many connections as the open-files limit allows, all of them busy for
 * a bounded time, with every byte checked. CI: 10,000 connections for 20 s; the long form
 * ({@code bin/reliability --long}): the hard limit less a reserve, for 10 minutes.
 * {@code -Ds4j.soak.server=serve} (or {@code echo-server}) soaks one server only.
 */
class EchoSoakTest {
    /** Descriptors each side keeps for itself beyond the connections (JVM, jars, listener, selector). */
    private static final int RESERVE = 1_000;
    /** The fewest connections that make a soak, when the long form asks for as many as the limit allows. */
    private static final int MIN_CONNECTIONS = 1_000;

    @ParameterizedTest
    @EnumSource(EchoServers.class)
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void everyByteComesBackOnEveryConnectionAndMemoryStaysFlat(EchoServers kind) throws Exception {
        String only = System.getProperty("s4j.soak.server", "");
        assumeTrue(only.isEmpty() || kind.name().equalsIgnoreCase(only.replace('-', '_')),
                "-Ds4j.soak.server=" + only + " picks another server");
        // CI: 10,000 connections, or the test fails (skips off CI); the long form: as many as the limit allows
        int asked = Limits.count("s4j.soak.connections", 10_000, Integer.MAX_VALUE);
        long limit = Needs.openFiles((long) Math.min(asked, MIN_CONNECTIONS) + RESERVE);
        int connections = (int) Math.min(asked, limit - RESERVE);
        int hard = Limits.hardOpenFiles();
        Duration duration = Limits.seconds("s4j.soak.seconds", 20, 600);
        Duration half = duration.dividedBy(2);

        try (ChildJvm server = ChildJvm.startServer(kind.launch().withOpenFiles(hard));
             EchoTraffic traffic = new EchoTraffic(server.port(), connections, 64, 256, Duration.ofMinutes(2))) {
            // The first half warms up: the JIT, the heap growing to its working size, every queue taken.
            traffic.run(half);
            // the live heap first: its full collection touches heap the server had not used yet, so both
            // resident sizes are read in the same state, just after a full collection
            long liveAfterWarmUp = server.heapUsedAfterGcKib();
            long rssAfterWarmUp = server.rssKib();
            traffic.run(duration.minus(half));
            traffic.drain(Duration.ofSeconds(30));
            long liveAtEnd = server.heapUsedAfterGcKib();
            long rssAtEnd = server.rssKib();
            EchoTraffic.Tally tally = traffic.tally();
            System.out.printf("soak %s: %d connections for %s, %d bytes checked, %d mismatches, %d dropped,"
                    + " RSS %d KiB after warm-up, %d KiB at the end, live heap %d then %d KiB%n", kind,
                    tally.connections(), duration, tally.bytesChecked(), tally.mismatches(), tally.dropped(),
                    rssAfterWarmUp, rssAtEnd, liveAfterWarmUp, liveAtEnd);

            assertThat(tally.mismatches()).as("bytes that came back wrong").isZero();
            assertThat(tally.dropped()).as("connections the server dropped").isZero();
            assertThat(tally.bytesChecked()).as("bytes echoed and checked").isGreaterThan(connections * 256L);
            assertThat(liveAtEnd).as("live heap KiB after warm-up %d", liveAfterWarmUp)
                    .isLessThanOrEqualTo(liveAfterWarmUp + liveAfterWarmUp / 20 + 8 * 1024);
            assertThat(rssAtEnd).as("resident KiB after warm-up %d", rssAfterWarmUp)
                    .isLessThanOrEqualTo(rssAfterWarmUp + rssAfterWarmUp / 10 + 32 * 1024);
            assertThat(server.alive()).isTrue();
        }
    }
}
