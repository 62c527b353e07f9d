package io.selectors4j.loop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link ServerOptions#maxConnections()} for one server, shared by its listeners when a
 * {@link LoopGroup} listens with one per loop: a place is taken before each accept and given back when
 * the connection closes (or the accept found none), so the total never passes the limit. When a place
 * frees up at the limit, every listener is told to accept again. Any thread.
 */
final class ConnectionLimit {
    private final int max;
    private final AtomicInteger taken = new AtomicInteger();
    private final List<StreamServer> listeners = new CopyOnWriteArrayList<>();

    /** A limit of {@code max} open connections; 0 for none. */
    ConnectionLimit(int max) {
        this.max = max;
    }

    /** A listener sharing this limit. */
    void add(StreamServer listener) {
        listeners.add(listener);
    }

    /** Takes a place for a connection about to be accepted; false at the limit. */
    boolean tryTake() {
        if (max == 0) {
            return true;
        }
        int current;
        do {
            current = taken.get();
            if (current >= max) {
                return false;
            }
        } while (!taken.compareAndSet(current, current + 1));
        return true;
    }

    /** Gives a place back; the listeners resume accepting if the limit had been reached. */
    void giveBack() {
        if (max != 0 && taken.getAndDecrement() == max) {
            listeners.forEach(StreamServer::resumeAccepting);
        }
    }

    /** Whether there is a limit at all. */
    boolean isLimited() {
        return max != 0;
    }

    /** Whether every place is taken. */
    boolean reached() {
        return max != 0 && taken.get() >= max;
    }
}
