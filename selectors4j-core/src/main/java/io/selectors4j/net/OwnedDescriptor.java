package io.selectors4j.net;

import io.selectors4j.OwnedSelectable;
import io.selectors4j.sys.CallContext;
import io.selectors4j.sys.DeadDescriptor;
import io.selectors4j.sys.FileCalls;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The base of every object here that owns a descriptor (socket, pipe end, file): closed exactly once,
 * listeners told first, and never a call on a number it has released.
 *
 * <p>Every call that uses the number runs between {@link #acquire()} and {@link #release()}, which
 * count it as in flight (one atomic operation each). {@link #close()} marks the object closed (later
 * acquires fail with an {@link IOException} naming the kind of object), tells the listeners while the
 * number is still this object's, and releases the number at once when no call is in flight.
 * Otherwise it first wakes calls blocked in the kernel ({@link #wakeBlockedCalls}), then puts the
 * process's {@link DeadDescriptor} over the number with {@code dup3} (close-on-exec), so that a racing call that has
 * not yet entered the kernel meets a descriptor at end of stream instead of whatever file the kernel
 * would next give that number; the last call to leave closes it. Concurrent closes release it once.
 */
abstract sealed class OwnedDescriptor implements OwnedSelectable permits Socket, Pipe.End, RegularFile {
    private static final int CLOSED = 1;
    private static final int ONE_CALL = 2;
    private static final VarHandle STATE;
    private static final VarHandle LISTENERS;
    private static final CloseListener[] NO_LISTENERS = {};
    /** The listeners once they have been told: none may be added any more. */
    private static final CloseListener[] TOLD = {};

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(OwnedDescriptor.class, "state", int.class);
            LISTENERS = MethodHandles.lookup().findVarHandle(OwnedDescriptor.class, "listeners",
                    CloseListener[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int fd;
    private final String kind;
    /** Copied on every change (an array, not a list object, so that a descriptor costs little). */
    private volatile CloseListener[] listeners = NO_LISTENERS;
    private final CallContext context = new CallContext();
    /** {@link #ONE_CALL} times the calls in flight, plus {@link #CLOSED} once closed. */
    @SuppressWarnings("unused") // through STATE
    private volatile int state;
    private volatile boolean blocking;

    OwnedDescriptor(int fd, String kind, boolean blocking) {
        this.fd = fd;
        this.kind = kind;
        this.blocking = blocking;
    }

    /** The descriptor, or -1 once closed. */
    @Override
    public final int fileno() {
        return isClosed() ? -1 : fd;
    }

    /**
     * Counts a call as in flight and returns the descriptor for it; fails when closed. Every acquire
     * that returns must be matched by one {@link #release()}, in a {@code finally}.
     */
    final int acquire() throws IOException {
        int n = holdDescriptor();
        if (n < 0) {
            throw closedException();
        }
        return n;
    }

    /**
     * Counts a call made by another object (a selector's registration) as in flight, as this object's
     * own calls are counted: the descriptor, or -1 when closed.
     */
    @Override
    public final int holdDescriptor() {
        int s = (int) STATE.getVolatile(this);
        while ((s & CLOSED) == 0) {
            int witness = (int) STATE.compareAndExchange(this, s, s + ONE_CALL);
            if (witness == s) {
                return fd;
            }
            s = witness;
        }
        return -1;
    }

    /** Ends a call counted by {@link #holdDescriptor()}. */
    @Override
    public final void releaseDescriptor() {
        release();
    }

    /** Ends a call counted by {@link #acquire()}; the last call out of a closed object closes the number. */
    final void release() {
        if ((int) STATE.getAndAdd(this, -ONE_CALL) == (CLOSED | ONE_CALL)) {
            try {
                FileCalls.close(fd);
            } catch (IOException e) {
                // the number is released even when close reports an error; the closing thread has gone
            }
        }
    }

    /**
     * What a call that failed should throw: the object's "closed" exception when it was closed during
     * the call (the failure then came from the dead descriptor or a wake-up), else the failure itself.
     */
    final IOException failure(IOException e) {
        if (isClosed()) {
            IOException closed = closedException();
            closed.initCause(e);
            return closed;
        }
        return e;
    }

    private IOException closedException() {
        return new IOException(kind + " is closed");
    }

    /** The per-descriptor caches the transfers reuse. */
    final CallContext context() {
        return context;
    }

    /** The blocking mode last set through {@link #changeBlocking}; it chooses the transfer path. */
    final boolean blockingMode() {
        return blocking;
    }

    final void changeBlocking(boolean wanted) throws IOException {
        int n = acquire();
        try {
            FileCalls.setBlocking(n, wanted);
            blocking = wanted;
        } finally {
            release();
        }
    }

    @Override
    public final boolean isClosed() {
        return ((int) STATE.getVolatile(this) & CLOSED) != 0;
    }

    @Override
    public final boolean addCloseListener(CloseListener listener) {
        CloseListener[] old;
        CloseListener[] next;
        do {
            old = listeners;
            if (old == TOLD) {
                return false;
            }
            next = Arrays.copyOf(old, old.length + 1);
            next[old.length] = listener;
        } while (!LISTENERS.compareAndSet(this, old, next));
        return true;
    }

    @Override
    public final void removeCloseListener(CloseListener listener) {
        CloseListener[] old;
        CloseListener[] next;
        do {
            old = listeners;
            int i = 0;
            while (i < old.length && !old[i].equals(listener)) {
                i++;
            }
            if (i == old.length) {
                return;
            }
            next = new CloseListener[old.length - 1];
            System.arraycopy(old, 0, next, 0, i);
            System.arraycopy(old, i + 1, next, i, next.length - i);
        } while (!LISTENERS.compareAndSet(this, old, next));
    }

    /**
     * Wakes calls blocked in the kernel on this descriptor, before the dead descriptor replaces it;
     * called by {@link #close()} only while other calls are in flight. Sockets shut down both ways.
     */
    void wakeBlockedCalls(int n) {
    }

    /**
     * Closes once; later and concurrent calls do nothing. Listener failures do not keep the fd open.
     * With calls in flight on other threads the number is released when the last of them leaves.
     */
    @Override
    public final void close() throws IOException {
        int s = (int) STATE.getVolatile(this);
        while (true) {
            if ((s & CLOSED) != 0) {
                return;
            }
            // take a call's share too, so the number cannot be released under the listeners or the dup3
            int witness = (int) STATE.compareAndExchange(this, s, (s + ONE_CALL) | CLOSED);
            if (witness == s) {
                break;
            }
            s = witness;
        }
        RuntimeException failure = null;
        try {
            failure = tellListeners();
            if (s != 0) {
                wakeBlockedCalls(fd);
                DeadDescriptor.cover(fd);
            }
        } finally {
            if ((int) STATE.getAndAdd(this, -ONE_CALL) == (CLOSED | ONE_CALL)) {
                FileCalls.close(fd);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private RuntimeException tellListeners() {
        RuntimeException failure = null;
        for (CloseListener listener : (CloseListener[]) LISTENERS.getAndSet(this, TOLD)) {
            try {
                listener.beforeClose(this, fd);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    final String describe() {
        return isClosed() ? "closed" : "fd=" + fd;
    }
}
