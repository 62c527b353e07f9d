package io.selectors4j.apps.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a duration written {@code 10}, {@code 10s}, {@code 1.5s}, {@code 500ms} or {@code 2m} into nanoseconds. */
final class Durations implements ITypeConverter<Long> {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)?");

    @Override
    public Long convert(String value) {
        Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration (examples: 10, 10s, 500ms, 2m)");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        long perUnit = switch (unit) {
            case "ms" -> TimeUnit.MILLISECONDS.toNanos(1);
            case "m" -> TimeUnit.MINUTES.toNanos(1);
            default -> TimeUnit.SECONDS.toNanos(1);
        };
        return Math.round(amount * perUnit);
    }
}
