package io.selectors4j;

import java.io.Closeable;

/**
 * A {@link Selectable} that owns its descriptor and closes it itself, telling its listeners first.
 *
 * <p>Selectors register a listener so that closing a registered socket or pipe end removes its key
 * while the descriptor number is still valid: a recycled number never meets a stale key. Listeners
 * run on the closing thread, once, just before the descriptor is released. A selector holds the
 * descriptor while it registers it ({@link #holdDescriptor()}), so a close racing the registration
 * cannot free the number under it either.
 */
public interface OwnedSelectable extends Selectable, Closeable {

    /** Told once, just before the owner's descriptor is closed. */
    @FunctionalInterface
    interface CloseListener {
        /** Called with the closing object and the descriptor it still holds. */
        void beforeClose(OwnedSelectable source, int fd);
    }

    /**
     * Adds a listener and returns true, or returns false and adds nothing when the object is closed
     * already. Atomic with {@link #close()}: a listener that was added is told, one that was refused
     * never is.
     */
    boolean addCloseListener(CloseListener listener);

    /** Removes a listener added earlier; unknown listeners are ignored. */
    void removeCloseListener(CloseListener listener);

    /** Whether {@link #close()} has been called. */
    boolean isClosed();

    /**
     * Holds the descriptor for a call made with its number outside this object (a selector
     * registering it with the kernel) and returns the number, or -1 when the object is closed. While
     * it is held, a {@link #close()} on another thread does not release the number: the kernel cannot
     * give it to another file until {@link #releaseDescriptor()}. Each hold that returns a number must
     * be matched by one release, in a {@code finally}.
     */
    int holdDescriptor();

    /** Ends a {@link #holdDescriptor()}; the last holder of a closed object releases its number. */
    void releaseDescriptor();
}
