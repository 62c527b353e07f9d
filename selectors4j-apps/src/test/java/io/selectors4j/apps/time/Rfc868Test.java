package io.selectors4j.apps.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class Rfc868Test {

    @Test
    void unixEpochIsTheRfcOffset() {
        assertThat(Rfc868.value(Instant.EPOCH)).isEqualTo(2_208_988_800L);
        assertThat(Rfc868.encode(Instant.EPOCH)).containsExactly(0x83, 0xaa, 0x7e, 0x80);
    }

    @Test
    void theRfcsOwnExamplesDecode() {
        // RFC 868: 2,629,584,000 is 1983-05-01T00:00Z; 2,398,291,200 is 1976-01-01T00:00Z.
        assertThat(Rfc868.time(2_629_584_000L)).isEqualTo(Instant.parse("1983-05-01T00:00:00Z"));
        assertThat(Rfc868.time(2_398_291_200L)).isEqualTo(Instant.parse("1976-01-01T00:00:00Z"));
    }

    @Test
    void theCounterWrapsIn2036AndIsReadInEraOne() {
        Instant lastOfEraZero = Instant.parse("2036-02-07T06:28:15Z");
        Instant firstOfEraOne = Instant.parse("2036-02-07T06:28:16Z");

        assertThat(Rfc868.value(lastOfEraZero)).isEqualTo(0xffff_ffffL);
        assertThat(Rfc868.encode(firstOfEraOne)).containsExactly(0, 0, 0, 0);
        assertThat(Rfc868.decode(new byte[] {0, 0, 0, 0}, 0)).isEqualTo(firstOfEraOne);
        assertThat(Rfc868.decode(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, 0))
                .isEqualTo(lastOfEraZero);
    }

    @Test
    void theEraPivotIsNineteenSixtyEight() {
        assertThat(Rfc868.time(Rfc868.ERA_PIVOT)).isEqualTo(Instant.parse("1968-01-20T03:14:08Z"));
        assertThat(Rfc868.time(Rfc868.ERA_PIVOT - 1)).isEqualTo(Instant.parse("2104-02-26T09:42:23Z"));
    }

    @Test
    void everyTimeFrom1968To2104SurvivesTheWire() {
        long from = Instant.parse("1968-01-20T03:14:08Z").getEpochSecond();
        long to = Instant.parse("2104-02-26T09:42:23Z").getEpochSecond();
        for (long s = from; s <= to; s += 7_777_777L) {
            Instant time = Instant.ofEpochSecond(s);
            assertThat(Rfc868.decode(Rfc868.encode(time), 0)).isEqualTo(time);
        }
        assertThat(Rfc868.decode(Rfc868.encode(Instant.ofEpochSecond(to)), 0)).isEqualTo(Instant.ofEpochSecond(to));
    }

    @Test
    void fractionsOfASecondAreDropped() {
        assertThat(Rfc868.value(Instant.parse("2026-01-01T00:00:00.999Z")))
                .isEqualTo(Rfc868.value(Instant.parse("2026-01-01T00:00:00Z")));
    }

    @Test
    void valuesOutsideThirtyTwoBitsAreRefused() {
        assertThatThrownBy(() -> Rfc868.time(1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rfc868.time(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
