package io.selectors4j.apps.common;

import io.selectors4j.selectors.Backend;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code select}, {@code poll} or {@code epoll} and refuses one this machine does not have; for
 * the programs that wait with a selector themselves, {@code io_uring} is refused with the reason.
 */
public final class BackendConverter implements ITypeConverter<Backend> {
    @Override
    public Backend convert(String value) {
        Backend backend;
        try {
            backend = Backend.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            if (value.equalsIgnoreCase("io_uring")) {
                throw new TypeConversionException("io_uring is for the programs on the event loop (serve, "
                        + "chat-server); this one waits with a selector: select, poll or epoll");
            }
            throw new TypeConversionException("'" + value + "' is not one of select, poll, epoll");
        }
        if (!backend.isAvailable()) {
            throw new TypeConversionException(value + " is not available on this machine");
        }
        return backend;
    }
}
