package io.selectors4j.apps.common;

import picocli.CommandLine.ITypeConverter;

/**
 * The port a server listens on: 1 to 65535, or 0 for any free port (the server's listening line says
 * which it got), as with {@code bind} in Python.
 */
public final class ListenPortConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        return PortConverter.parse(value, 0);
    }
}
