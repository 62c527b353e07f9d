package io.selectors4j.selectors;

import io.selectors4j.Selectable;

/**
 * One registration: Python's {@code SelectorKey(fileobj, fd, events, data)}. Equality is the record's
 * (component by component), as Python compares its named tuples.
 *
 * @param fileobj the registered object
 * @param fd      its descriptor at registration
 * @param events  the {@link Events} bits it waits for
 * @param data    whatever the program attached, often the callback that handles the object
 */
public record SelectorKey(Selectable fileobj, int fd, int events, Object data) {
}
