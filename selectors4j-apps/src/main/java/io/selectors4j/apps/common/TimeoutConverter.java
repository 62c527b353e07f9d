package io.selectors4j.apps.common;

import java.math.BigDecimal;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A time limit in seconds, fractions allowed ({@code 60}, {@code 0.5}), from 0 to 1,000,000, where 0
 * means no limit ({@link Duration#ZERO}).
 */
public final class TimeoutConverter implements ITypeConverter<Duration> {
    private static final double MOST_SECONDS = 1e6;

    @Override
    public Duration convert(String value) {
        double seconds;
        try {
            seconds = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number of seconds");
        }
        if (!(seconds >= 0) || seconds > MOST_SECONDS) {
            throw new TypeConversionException("seconds must be from 0 (no limit) to 1000000, not " + value);
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    /** {@code limit} for a log line: {@code 60 s}, {@code 0.5 s}. */
    public static String seconds(Duration limit) {
        return BigDecimal.valueOf(limit.toNanos(), 9).stripTrailingZeros().toPlainString() + " s";
    }
}
