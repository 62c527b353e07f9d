package io.selectors4j.apps.common;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A number of connections for {@code --max-connections}: 0 or more, where 0 means no limit. */
public final class ConnectionCountConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        int count;
        try {
            count = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number of connections");
        }
        if (count < 0) {
            throw new TypeConversionException("connections must be 0 (no limit) or more, not " + count);
        }
        return count;
    }
}
