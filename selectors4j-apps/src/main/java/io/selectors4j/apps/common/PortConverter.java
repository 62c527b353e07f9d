package io.selectors4j.apps.common;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A TCP or UDP port number from 1 to 65535, for a client; see {@link ListenPortConverter} for a
 * server's, where 0 is any free port, and {@link OptionalPortConverter} for serve's, where 0 turns a
 * service off.
 */
public final class PortConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        return parse(value, 1);
    }

    /** A number from {@code lowest} (0 or 1) to 65535; the callers say what 0 means. */
    static int parse(String value, int lowest) {
        int port;
        try {
            port = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a port number");
        }
        if (port < lowest || port > 65535) {
            throw new TypeConversionException("port must be from " + lowest + " to 65535, not " + port);
        }
        return port;
    }
}
