package io.selectors4j.selectors;

import io.selectors4j.NativeIOException;
import io.selectors4j.sys.EventFd;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes a blocked {@code select} return, from any thread, with a system call only when the selecting
 * thread is actually blocked. A wake-up that arrives while it is not blocked makes the next
 * {@code select} return at once instead.
 */
final class WakeupSignal implements AutoCloseable {
    private static final int RUNNING = 0;
    private static final int BLOCKED = 1;
    private static final int WOKEN = 2;

    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final EventFd eventFd;

    WakeupSignal() throws NativeIOException {
        eventFd = new EventFd();
    }

    /** The descriptor the backend must watch for reading. */
    int fd() {
        return eventFd.fd();
    }

    /** Called by the selecting thread before a wait that may block: false when a wake-up is pending. */
    boolean mayBlock() {
        return state.compareAndSet(RUNNING, BLOCKED);
    }

    /** Whether a wake-up has arrived since the last wait ended; for a waiter that cannot watch {@link #fd()}. */
    boolean isPending() {
        return state.get() == WOKEN;
    }

    /**
     * Called by the selecting thread after every wait: consumes a pending wake-up and tells whether
     * there was one. A zero-timeout wait that found nothing pending costs one volatile read; a wake-up
     * racing with that read stays pending and ends the next wait, as {@link #wakeup()} allows.
     */
    boolean afterWait() {
        int current = state.get();
        if (current != RUNNING) {
            state.set(RUNNING);
        }
        return current == WOKEN;
    }

    /** Called by the selecting thread when the descriptor was reported readable. */
    void drain() {
        eventFd.drain();
    }

    /** Wakes the selecting thread; from any thread. */
    void wakeup() {
        while (true) {
            int current = state.get();
            if (current == WOKEN) {
                return;
            }
            if (state.compareAndSet(current, WOKEN)) {
                if (current == BLOCKED) {
                    try {
                        eventFd.signal();
                    } catch (NativeIOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        eventFd.close();
    }
}
