package io.selectors4j.apps.common;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A TCP or UDP port number from 1 to 65535; see {@link OptionalPortConverter} for options where 0 disables. */
public final class PortConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        int port = parse(value);
        if (port == 0) {
            throw new TypeConversionException("port must be from 1 to 65535, not 0");
        }
        return port;
    }

    static int parse(String value) {
        int port;
        try {
            port = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a port number");
        }
        if (port < 0 || port > 65535) {
            throw new TypeConversionException("port must be from 1 to 65535, not " + port);
        }
        return port;
    }
}
