package io.selectors4j.apps.common;

import io.selectors4j.loop.LoopBackend;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code select}, {@code poll}, {@code epoll} or {@code io_uring} for a program on the event
 * loop, and refuses a selector this machine does not have. Whether the kernel allows io_uring is
 * learnt when the loop opens: the program then ends with the kernel's reason in one line.
 */
public final class LoopBackendConverter implements ITypeConverter<LoopBackend> {
    @Override
    public LoopBackend convert(String value) {
        LoopBackend backend;
        try {
            backend = LoopBackend.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not one of select, poll, epoll, io_uring");
        }
        if (backend.selectorBackend().isPresent()) {
            new BackendConverter().convert(value); // a selector: the same check as for the selector programs
        }
        return backend;
    }
}
