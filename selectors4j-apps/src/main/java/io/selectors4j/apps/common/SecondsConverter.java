package io.selectors4j.apps.common;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A positive number of seconds, fractions allowed ({@code 1}, {@code 0.25}), as a {@link Duration}. */
public final class SecondsConverter implements ITypeConverter<Duration> {
    private static final double MOST_SECONDS = 1e6;

    @Override
    public Duration convert(String value) {
        double seconds;
        try {
            seconds = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number of seconds");
        }
        if (!(seconds > 0) || seconds > MOST_SECONDS) {
            throw new TypeConversionException("seconds must be above 0 and at most 1000000, not " + value);
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }
}
