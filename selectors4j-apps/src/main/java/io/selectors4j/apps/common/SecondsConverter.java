package io.selectors4j.apps.common;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A positive number of seconds, fractions allowed ({@code 1}, {@code 0.25}), as a {@link Duration};
 * see {@link TimeoutConverter} for a limit where 0 means none.
 */
public final class SecondsConverter implements ITypeConverter<Duration> {
    private static final long MOST_SECONDS = 1_000_000;

    @Override
    public Duration convert(String value) {
        return parse(value, false);
    }

    /**
     * A number of seconds up to {@value #MOST_SECONDS}, above 0 or, with {@code zeroMeansNoLimit}, 0 or
     * more (the caller says what 0 means).
     */
    static Duration parse(String value, boolean zeroMeansNoLimit) {
        double seconds;
        try {
            seconds = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number of seconds");
        }
        boolean allowed = (zeroMeansNoLimit ? seconds >= 0 : seconds > 0) && seconds <= MOST_SECONDS; // not NaN
        if (!allowed) {
            String range = zeroMeansNoLimit ? "from 0 (no limit) to " + MOST_SECONDS : "above 0 and at most " + MOST_SECONDS;
            throw new TypeConversionException("seconds must be " + range + ", not " + value);
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }
}
