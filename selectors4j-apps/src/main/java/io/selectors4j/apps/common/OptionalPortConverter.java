package io.selectors4j.apps.common;

import picocli.CommandLine.ITypeConverter;

/** A port number from 0 to 65535, where 0 turns the service off. */
public final class OptionalPortConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        return PortConverter.parse(value, 0);
    }
}
