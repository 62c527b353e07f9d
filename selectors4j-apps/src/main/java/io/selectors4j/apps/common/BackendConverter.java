package io.selectors4j.apps.common;

import io.selectors4j.selectors.Backend;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code select}, {@code poll} or {@code epoll} and refuses one this machine does not have. */
public final class BackendConverter implements ITypeConverter<Backend> {
    @Override
    public Backend convert(String value) {
        Backend backend;
        try {
            backend = Backend.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not one of select, poll, epoll");
        }
        if (!backend.isAvailable()) {
            throw new TypeConversionException(value + " is not available on this machine");
        }
        return backend;
    }
}
