package io.selectors4j.apps.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.Stats;
import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * A well-behaved client's round trips, measured in rounds without an attack and during it, and what
 * the hostile-client tests conclude from them. On CI: that the client kept being served during every
 * round, its median round trip far from a stall; the figures are printed. In the long form
 * ({@code bin/reliability --long}, 10 rounds, where the figures are measured and recorded in
 * docs/RELIABILITY.md): also that the attack costs it little, the median over the rounds of its p99
 * during the attack within twice the baseline's, or within the noise floor of it.
 *
 * <p>The p99 is not bounded on CI: the attack parks hundreds of megabytes in the kernel's socket
 * buffers, and on a host short of TCP memory (a small machine, or other builds' tests at once) the
 * kernel drops packets, so a few round trips wait for a retransmission (200 ms to 1 s; seen here with
 * other builds running). That is the host, not the server, and the median does not move with it.
 */
final class AttackLatency {
    /**
     * A median round trip this slow means the client stalled behind the attack: thousands of times the
     * medians measured here (6-7 us), and far below the seconds a loop stuck on a flooder costs.
     */
    static final long STALL_MICROS = 100_000;
    /** Latency differences smaller than this are scheduler noise on the shared 2-core machine. */
    static final long NOISE_FLOOR_MICROS = 50;

    private final String server;
    private final long[] baselineP99;
    private final long[] attackedP99;
    private final long[] attackedP50;

    AttackLatency(String server, int rounds) {
        this.server = server;
        this.baselineP99 = new long[rounds];
        this.attackedP99 = new long[rounds];
        this.attackedP50 = new long[rounds];
    }

    void baseline(int round, Histogram roundTrips) {
        baselineP99[round] = roundTrips.getValueAtPercentile(99);
    }

    void attacked(int round, Histogram roundTrips) {
        attackedP99[round] = roundTrips.getValueAtPercentile(99);
        attackedP50[round] = roundTrips.getValueAtPercentile(50);
    }

    /** Round {@code round}'s figures, for the log. */
    String round(int round) {
        return String.format("p99 %d us without attack, %d us during (p50 %d us)", baselineP99[round],
                attackedP99[round], attackedP50[round]);
    }

    /** Prints the figures and checks them as the class says. */
    void check() {
        long baseline = Stats.median(baselineP99);
        long attacked = Stats.median(attackedP99);
        System.out.printf("hostile %s: p99 (us) without attack %s, during %s; medians %d and %d; p50 during %s%n",
                server, Arrays.toString(baselineP99), Arrays.toString(attackedP99), baseline, attacked,
                Arrays.toString(attackedP50));
        assertThat(Arrays.stream(attackedP50).max().orElseThrow())
                .as("%s: the worst round's median round trip during the attack (us): a stall", server)
                .isLessThan(STALL_MICROS);
        if (Limits.longForm()) {
            // A 3-second window's p99 moves with what else the machine runs: the medians over the
            // rounds are compared, each attack round right after its baseline.
            assertThat(attacked).as("%s: median p99 during the attack (us), baseline %d us", server, baseline)
                    .isLessThanOrEqualTo(Math.max(2 * baseline, baseline + NOISE_FLOOR_MICROS));
        }
    }
}
