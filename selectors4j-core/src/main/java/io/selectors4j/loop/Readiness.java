package io.selectors4j.loop;

import io.selectors4j.Selectable;
import java.io.IOException;

/**
 * Where a loop's readiness handlers wait: descriptor watches, connects in progress and datagram
 * endpoints on either backend ({@link SelectorReadiness} on a readiness loop, {@link UringReadiness}
 * on an io_uring loop). Registrations follow the selector's rules: one per descriptor number, the
 * handler told of readiness in {@link io.selectors4j.selectors.Events} bits, level-triggered, and a
 * registered {@link io.selectors4j.OwnedSelectable} removed as it closes. Loop thread only.
 */
interface Readiness {
    /**
     * Watches {@code fd} for {@code events} with {@code handler}.
     *
     * @throws IllegalStateException the number is registered already, through any object, and names
     *                               the same file
     * @throws IOException           the descriptor is not open
     */
    void register(Selectable fd, int events, Handler handler) throws IOException;

    /** Changes the events and handler of {@code fd}'s registration. */
    void modify(Selectable fd, int events, Handler handler) throws IOException;

    /** Removes {@code fd}'s registration. */
    void unregister(Selectable fd);

    /** The handler registered for descriptor number {@code fd}, or null. */
    Handler handler(int fd);

    /** Releases every registration: the loop is closing. */
    void close();
}
