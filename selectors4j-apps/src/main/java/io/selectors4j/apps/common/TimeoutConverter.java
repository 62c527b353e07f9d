package io.selectors4j.apps.common;

import java.math.BigDecimal;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/**
 * A time limit in seconds, fractions allowed ({@code 60}, {@code 0.5}), from 0 to 1,000,000, where 0
 * means no limit ({@link Duration#ZERO}).
 */
public final class TimeoutConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return SecondsConverter.parse(value, true);
    }

    /** {@code limit} for a log line: {@code 60 s}, {@code 0.5 s}. */
    public static String seconds(Duration limit) {
        return BigDecimal.valueOf(limit.toNanos(), 9).stripTrailingZeros().toPlainString() + " s";
    }
}
