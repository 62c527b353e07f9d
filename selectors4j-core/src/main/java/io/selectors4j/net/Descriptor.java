package io.selectors4j.net;

import io.selectors4j.OwnedSelectable;
import io.selectors4j.sys.FileCalls;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The owned descriptor behind a socket, pipe end or file: closed exactly once, listeners told first.
 *
 * <p>{@link #close()} swaps the number to -1 atomically; only the thread that wins the swap tells the
 * listeners and releases the descriptor, so concurrent closes release it once. Every use after close
 * fails with an {@link IOException} naming the kind of object.
 */
final class Descriptor {
    private final AtomicInteger fd;
    private final OwnedSelectable owner;
    private final String kind;
    private final List<OwnedSelectable.CloseListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean blocking;

    Descriptor(int fd, OwnedSelectable owner, String kind, boolean blocking) {
        this.fd = new AtomicInteger(fd);
        this.owner = owner;
        this.kind = kind;
        this.blocking = blocking;
    }

    /** The descriptor, or -1 once closed. */
    int fileno() {
        return fd.get();
    }

    /** The descriptor for an operation; fails when closed. */
    int live() throws IOException {
        int n = fd.get();
        if (n < 0) {
            throw new IOException(kind + " is closed");
        }
        return n;
    }

    boolean isBlocking() {
        return blocking;
    }

    void setBlocking(boolean wanted) throws IOException {
        FileCalls.setBlocking(live(), wanted);
        blocking = wanted;
    }

    boolean isClosed() {
        return fd.get() < 0;
    }

    void addListener(OwnedSelectable.CloseListener listener) {
        if (!isClosed()) {
            listeners.add(listener);
        }
    }

    void removeListener(OwnedSelectable.CloseListener listener) {
        listeners.remove(listener);
    }

    /** Closes once; later and concurrent calls do nothing. Listener failures do not keep the fd open. */
    void close() throws IOException {
        int n = fd.getAndSet(-1);
        if (n < 0) {
            return;
        }
        RuntimeException failure = null;
        for (OwnedSelectable.CloseListener listener : listeners) {
            try {
                listener.beforeClose(owner, n);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        listeners.clear();
        FileCalls.close(n);
        if (failure != null) {
            throw failure;
        }
    }

    String describe() {
        int n = fd.get();
        return n < 0 ? "closed" : "fd=" + n;
    }
}
