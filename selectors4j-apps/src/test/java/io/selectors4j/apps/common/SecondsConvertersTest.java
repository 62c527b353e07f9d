package io.selectors4j.apps.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/**
 * The two readers of seconds share one parser and differ only at 0: a wait ({@link SecondsConverter})
 * must be above 0, a limit ({@link TimeoutConverter}) may be 0 for none. Both stop at 1,000,000 s.
 */
class SecondsConvertersTest {
    private final SecondsConverter seconds = new SecondsConverter();
    private final TimeoutConverter timeout = new TimeoutConverter();

    @Test
    void bothReadFractionsAndTheUpperBoundItself() {
        assertThat(seconds.convert(" 0.25 ")).isEqualTo(Duration.ofMillis(250));
        assertThat(timeout.convert("0.5")).isEqualTo(Duration.ofMillis(500));
        assertThat(seconds.convert("1e6")).isEqualTo(Duration.ofSeconds(1_000_000));
        assertThat(timeout.convert("1000000")).isEqualTo(Duration.ofSeconds(1_000_000));
        assertThat(seconds.convert("0.000000001")).isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void zeroIsNoLimitForATimeoutAndRefusedForAWait() {
        assertThat(timeout.convert("0")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> seconds.convert("0")).isInstanceOf(TypeConversionException.class)
                .hasMessage("seconds must be above 0 and at most 1000000, not 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-0.5", "1000000.5", "NaN", "Infinity"})
    void outOfRangeIsRefusedByBothWithTheirOwnRange(String value) {
        assertThatThrownBy(() -> seconds.convert(value))
                .hasMessage("seconds must be above 0 and at most 1000000, not " + value);
        assertThatThrownBy(() -> timeout.convert(value))
                .hasMessage("seconds must be from 0 (no limit) to 1000000, not " + value);
    }

    @Test
    void aWordIsNotANumberOfSeconds() {
        assertThatThrownBy(() -> seconds.convert("soon")).hasMessage("'soon' is not a number of seconds");
        assertThatThrownBy(() -> timeout.convert("later")).hasMessage("'later' is not a number of seconds");
    }
}
