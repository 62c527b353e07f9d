package io.selectors4j.net;

import io.selectors4j.OwnedSelectable;
import io.selectors4j.sys.FileCalls;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The base of every object here that owns a descriptor (socket, pipe end, file): closed exactly once,
 * listeners told first.
 *
 * <p>{@link #close()} swaps the number to -1 atomically; only the thread that wins the swap tells the
 * listeners and releases the descriptor, so concurrent closes release it once. Every use after close
 * fails with an {@link IOException} naming the kind of object.
 */
abstract sealed class OwnedDescriptor implements OwnedSelectable permits Socket, Pipe.End, RegularFile {
    private final AtomicInteger fd;
    private final String kind;
    private final List<CloseListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean blocking;

    OwnedDescriptor(int fd, String kind, boolean blocking) {
        this.fd = new AtomicInteger(fd);
        this.kind = kind;
        this.blocking = blocking;
    }

    /** The descriptor, or -1 once closed. */
    @Override
    public final int fileno() {
        return fd.get();
    }

    /** The descriptor for an operation; fails when closed. */
    final int live() throws IOException {
        int n = fd.get();
        if (n < 0) {
            throw new IOException(kind + " is closed");
        }
        return n;
    }

    /** The blocking mode last set through {@link #changeBlocking}; it chooses the transfer path. */
    final boolean blockingMode() {
        return blocking;
    }

    final void changeBlocking(boolean wanted) throws IOException {
        FileCalls.setBlocking(live(), wanted);
        blocking = wanted;
    }

    @Override
    public final boolean isClosed() {
        return fd.get() < 0;
    }

    @Override
    public final void addCloseListener(CloseListener listener) {
        if (!isClosed()) {
            listeners.add(listener);
        }
    }

    @Override
    public final void removeCloseListener(CloseListener listener) {
        listeners.remove(listener);
    }

    /** Closes once; later and concurrent calls do nothing. Listener failures do not keep the fd open. */
    @Override
    public final void close() throws IOException {
        int n = fd.getAndSet(-1);
        if (n < 0) {
            return;
        }
        RuntimeException failure = null;
        for (CloseListener listener : listeners) {
            try {
                listener.beforeClose(this, n);
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

    final String describe() {
        int n = fd.get();
        return n < 0 ? "closed" : "fd=" + n;
    }
}
