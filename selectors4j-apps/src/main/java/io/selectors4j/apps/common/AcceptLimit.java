package io.selectors4j.apps.common;

import io.selectors4j.net.Socket;
import io.selectors4j.selectors.Events;
import io.selectors4j.selectors.Selector;
import java.io.IOException;

/**
 * At most a given number of open connections for a server on a {@link Selector}: at the limit the
 * listener leaves the selector, so new connections wait in the kernel's listen backlog, and it comes
 * back as soon as a connection closes. One thread, the selector's.
 */
public final class AcceptLimit {
    private final Selector selector;
    private final Socket listener;
    private final int max;
    private int open;
    private boolean paused;

    /** A limit of {@code max} connections (0: none) for {@code listener}, which is not yet registered. */
    public AcceptLimit(Selector selector, Socket listener, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative, not " + max);
        }
        this.selector = selector;
        this.listener = listener;
        this.max = max;
    }

    /** Registers the listener for READ. */
    public void start() throws IOException {
        selector.register(listener, Events.READ);
    }

    /** Whether every place is taken: accept no more now. */
    public boolean full() {
        return max != 0 && open >= max;
    }

    /** Counts an accepted connection; at the limit the listener leaves the selector. */
    public void opened() throws IOException {
        open++;
        if (full() && !paused) {
            selector.unregister(listener);
            paused = true;
        }
    }

    /** Counts a closed connection; below the limit again, the listener is watched again. */
    public void closed() throws IOException {
        open--;
        if (paused && !full()) {
            selector.register(listener, Events.READ);
            paused = false;
        }
    }
}
