package io.selectors4j.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one conversion of a wait's timeout, from nanoseconds to the kernel's milliseconds. */
class WaitsTest {

    @Test
    void aTimeoutIsRoundedUpToTheNextMillisecondNeverDownToAPoll() {
        assertThat(Waits.kernelMillis(1)).as("1 ns waits 1 ms, not 0").isEqualTo(1);
        assertThat(Waits.kernelMillis(999_999)).isEqualTo(1);
        assertThat(Waits.kernelMillis(1_000_000)).isEqualTo(1);
        assertThat(Waits.kernelMillis(1_000_001)).isEqualTo(2);
        assertThat(Waits.kernelMillis(0)).isZero();
    }

    @Test
    void aFiniteTimeoutLongerThanTheKernelTakesStaysFinite() {
        assertThat(Waits.kernelMillis(Duration.ofDays(30).toNanos()))
                .as("capped for one call; the wait calls again for the rest").isEqualTo(Integer.MAX_VALUE);
        assertThat(Waits.kernelMillis(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }
}
