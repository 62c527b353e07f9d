package io.selectors4j;

/**
 * Anything with a file descriptor: Python's "file object with a {@code fileno()} method".
 *
 * <p>{@link #fileno()} returns the descriptor, or -1 once the object is closed.
 */
@FunctionalInterface
public interface Selectable {
    /** The file descriptor, or -1 when closed. */
    int fileno();
}
