package io.selectors4j;

import java.io.Closeable;

/**
 * A {@link Selectable} that owns its descriptor and closes it itself, telling its listeners first.
 *
 * <p>Selectors register a listener so that closing a registered socket or pipe end removes its key
 * while the descriptor number is still valid: a recycled number never meets a stale key. Listeners
 * run on the closing thread, once, just before the descriptor is released.
 */
public interface OwnedSelectable extends Selectable, Closeable {

    /** Told once, just before the owner's descriptor is closed. */
    @FunctionalInterface
    interface CloseListener {
        /** Called with the closing object and the descriptor it still holds. */
        void beforeClose(OwnedSelectable source, int fd);
    }

    /** Adds a listener; if the object is already closed the listener is not called. */
    void addCloseListener(CloseListener listener);

    /** Removes a listener added earlier; unknown listeners are ignored. */
    void removeCloseListener(CloseListener listener);

    /** Whether {@link #close()} has been called. */
    boolean isClosed();
}
