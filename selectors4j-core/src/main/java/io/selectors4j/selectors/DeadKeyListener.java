package io.selectors4j.selectors;

/**
 * Told when a selector finds a registration whose descriptor was closed (or closed and its number
 * reused) without being unregistered first. The key has already been removed when this is called, and
 * the selector goes on serving every other key.
 */
@FunctionalInterface
public interface DeadKeyListener {
    /** The removed key, and the errno that revealed it (EBADF for a closed descriptor). */
    void deadKey(SelectorKey key, int errno);
}
